namespace ShapingCluster.Host.Runs;

/// <summary>
/// One writer per run directory: `train` and `resume` hold DIR/run.lock exclusively, the nodes of one cluster that
/// share a directory (`node`) hold it shared, so a second run on a directory in use is refused at once, naming the
/// process that holds it. The lock is the operating system's advisory file lock, released when the process ends
/// however it ends (kill -9 included); who holds it is written beside it (DIR/.holders/PID).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = "run.lock";
    private const string Holders = ".holders";

    private readonly FileStream _lock;
    private readonly string _holder;

    private RunLock(FileStream lockStream, string holder)
    {
        _lock = lockStream;
        _holder = holder;
    }

    /// <summary>Takes the lock (<paramref name="shared"/> for the nodes of one cluster); an
    /// <see cref="ArgumentException"/> naming the holder when the directory is in use.</summary>
    public static RunLock Take(string directory, bool shared, string what)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            // On Linux .NET takes flock(LOCK_EX) for FileShare.None and flock(LOCK_SH) otherwise, without blocking.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, shared ? FileShare.ReadWrite : FileShare.None);
        }
        catch (IOException)
        {
            throw new ArgumentException($"{directory} is in use by {Describe(directory)}; wait for it to stop or choose another --out");
        }
        var holders = Path.Combine(directory, Holders);
        Directory.CreateDirectory(holders);
        var holder = Path.Combine(holders, Environment.ProcessId.ToString());
        File.WriteAllText(holder, $"{what} (process {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:u})");
        return new RunLock(stream, holder);
    }

    /// <summary>The live processes that say they hold the directory.</summary>
    private static string Describe(string directory)
    {
        var holders = Path.Combine(directory, Holders);
        var alive = Directory.Exists(holders)
            ? Directory.GetFiles(holders).Where(f => int.TryParse(Path.GetFileName(f), out int pid) && Alive(pid)).Select(ReadQuietly).OfType<string>().ToList()
            : [];
        return alive.Count > 0 ? string.Join("; ", alive) : "another process";
    }

    private static bool Alive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static string? ReadQuietly(string file)
    {
        try { return File.ReadAllText(file).Trim(); }
        catch (IOException) { return null; }
    }

    public void Dispose()
    {
        try { File.Delete(_holder); } catch (IOException) { }
        _lock.Dispose();
    }
}
