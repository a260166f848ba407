using System.CommandLine;
using ShapingCluster.Host.Commands;

namespace ShapingCluster.Host;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("ShapingCluster: populations of game-playing learners that shape each other's learning")
        {
            PlayCommand.Create(),
            TrainCommand.Create(),
            NodeCommand.Create(),
            StatusCommand.Create(),
            ResumeCommand.Create(),
            ReportCommand.Create(),
            BenchCommand.Create(),
            CertsCommand.Create(),
        };
        var parsed = root.Parse(args);
        // One line that names the problem, not a page of help: scripts read stderr.
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"shaping: {parsed.Errors[0].Message} (see 'shaping {string.Join(' ', args.Take(1))} --help')");
            return ExitCodes.Usage;
        }
        return parsed.Invoke();
    }
}
