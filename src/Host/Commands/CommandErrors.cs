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
        catch (Exception e) when (e is InvalidDataException or Newtonsoft.Json.JsonException)
        {
            // A file that is not what it should be (a corrupt checkpoint, journal or run file): bad input.
            Console.Error.WriteLine($"shaping: {OneLine(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is ArithmeticException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"shaping: {OneLine(e.Message)}");
            return ExitCodes.Failed;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
