namespace ShapingCluster.Host.Runs;

/// <summary>Refuses a run whose estimated memory the machine does not have, before anything is allocated or written
/// (a batch of 10⁹ games would otherwise die inside libtorch with a stack trace).</summary>
public static class MemoryCheck
{
    public static void Require(long bytes, string what)
    {
        long available = Available();
        if (bytes < 0 || bytes > available)
            throw new ArgumentException($"{what} needs about {Gigabytes(bytes)} of memory; this machine has {Gigabytes(available)} available");
    }

    /// <summary>MemAvailable of /proc/meminfo where there is one, else what the runtime may use.</summary>
    public static long Available()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static string Gigabytes(long bytes) => bytes < 0 ? "more than 8 EB" : $"{bytes / 1e9:F1} GB";
}
