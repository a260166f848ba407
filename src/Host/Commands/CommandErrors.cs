using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Host.Commands;

/// <summary>Runs a command body and turns the errors users cause into one line on stderr and an exit code.</summary>
public static class CommandErrors
{
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ShapingConfigException or ArgumentException)
        {
            Console.Error.WriteLine($"shaping: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ArithmeticException e)
        {
            Console.Error.WriteLine($"shaping: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
