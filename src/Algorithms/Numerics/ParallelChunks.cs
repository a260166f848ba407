namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Runs numbered chunks of work on up to N threads: the caller's and N − 1 threads started for the call, each with a
/// workspace of its own, taking chunks in turn from a shared counter. Started threads, not the thread pool: each
/// is configured like the process (flush-to-zero is per thread, and a chunk's floats must not depend on the thread
/// it ran on) and ends with the call, so no pool thread is left in a changed floating-point mode. The caller waits
/// for the chunks, not for the threads: on a busy machine a helper that has not started by the time the caller
/// has taken every chunk finds none and exits, and costs the caller nothing. Which thread runs a chunk is left to
/// chance, so callers keep one result per chunk and combine them in chunk order.
/// </summary>
public static class ParallelChunks
{
    public static void Run<TWorkspace>(int chunks, int threads, Func<TWorkspace> workspace, Action<int, TWorkspace> body)
    {
        if (chunks < 0 || threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "chunks must be ≥ 0 and threads ≥ 1");
        if (chunks == 0) return;
        int next = -1, finished = 0;
        Exception? failure = null;
        var gate = new object();
        void Work()
        {
            TWorkspace? own = default;
            bool created = false;
            for (int chunk = Interlocked.Increment(ref next); chunk < chunks; chunk = Interlocked.Increment(ref next))
            {
                try
                {
                    if (!created) { own = workspace(); created = true; }
                    if (Volatile.Read(ref failure) is null) body(chunk, own!);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                if (Interlocked.Increment(ref finished) == chunks)
                    lock (gate) Monitor.PulseAll(gate);
            }
        }
        for (int i = 1; i < Math.Min(threads, chunks); i++)
            new Thread(() => { TorchRuntime.EnsureThreadConfigured(); Work(); }) { IsBackground = true, Name = "shaping-chunks" }.Start();
        Work();
        lock (gate)
            while (Volatile.Read(ref finished) < chunks) Monitor.Wait(gate);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
