namespace ShapingCluster.Host.Commands;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The run failed (e.g. a learner's parameters became NaN).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: unknown names, bad numbers, malformed configuration.</summary>
    public const int Usage = 2;
}
