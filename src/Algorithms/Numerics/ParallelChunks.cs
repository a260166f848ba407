namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Runs numbered chunks of work on up to N threads: the caller's and N − 1 threads started for the call, each with a
/// workspace of its own, taking chunks in turn from a shared counter. Started threads, not the thread pool: each
/// is configured like the process (flush-to-zero is per thread, and a chunk's floats must not depend on the thread
/// it ran on) and disappears afterwards, so no pool thread is left in a changed floating-point mode. Which thread
/// runs a chunk is left to chance, so callers keep one result per chunk and combine them in chunk order.
/// </summary>
public static class ParallelChunks
{
    public static void Run<TWorkspace>(int chunks, int threads, Func<TWorkspace> workspace, Action<int, TWorkspace> body)
    {
        if (chunks < 0 || threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "chunks must be ≥ 0 and threads ≥ 1");
        int next = -1;
        Exception? failure = null;
        void Work()
        {
            try
            {
                var own = workspace();
                for (int chunk = Interlocked.Increment(ref next); chunk < chunks && Volatile.Read(ref failure) is null;
                     chunk = Interlocked.Increment(ref next))
                    body(chunk, own);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
        var started = Enumerable.Range(0, Math.Max(0, Math.Min(threads, chunks) - 1))
            .Select(_ => new Thread(() => { TorchRuntime.EnsureThreadConfigured(); Work(); }) { IsBackground = true, Name = "shaping-chunks" })
            .ToList();
        foreach (var thread in started) thread.Start();
        Work();
        foreach (var thread in started) thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
