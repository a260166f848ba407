using System.Collections.Concurrent;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Runs numbered chunks of work on up to N threads: the caller's and up to N − 1 helper threads, each with a
/// workspace of its own, taking chunks in turn from the call's counter. The helpers are this class's own threads,
/// started once and parked between calls (starting a thread per call cost 0.1–0.18 ms, a tenth of an M-FOS act),
/// not the thread pool's: each is configured like the process (flush-to-zero is per thread, and a chunk's floats
/// must not depend on the thread it ran on), so no pool thread is left in a changed floating-point mode. The
/// caller waits for the chunks, not for the helpers: a helper that wakes after the caller has taken every chunk
/// finds none, and calls made side by side (matches of a population) share the helpers, each caller working its
/// own chunks meanwhile. Which thread runs a chunk is left to chance, so callers keep one result per chunk and
/// combine them in chunk order.
/// </summary>
public static class ParallelChunks
{
    private static readonly ConcurrentQueue<IJob> Pending = new();
    private static readonly SemaphoreSlim Posted = new(0);
    private static readonly object StartLock = new();
    private static int _helpers;

    public static void Run<TWorkspace>(int chunks, int threads, Func<TWorkspace> workspace, Action<int, TWorkspace> body)
    {
        if (chunks < 0 || threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "chunks must be ≥ 0 and threads ≥ 1");
        if (chunks == 0) return;
        var job = new Job<TWorkspace>(chunks, workspace, body);
        int helpers = Math.Min(_limit > 0 ? Math.Min(threads, _limit) : threads, chunks) - 1;
        if (helpers > 0)
        {
            EnsureHelpers(helpers);
            for (int i = 0; i < helpers; i++) Pending.Enqueue(job);
            Posted.Release(helpers);
        }
        job.Work();
        job.WaitForChunks();
    }

    /// <summary>Threads a large piece of work spreads its chunks over: all cores. When other work runs on the other
    /// cores the callers share the helpers and each works its own chunks, so little is lost.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    [ThreadStatic] private static int _limit;

    /// <summary>Caps the threads of every call made on this thread until the scope is disposed (a benchmark's
    /// one-thread figure beside the default; nested scopes restore the outer cap).</summary>
    public static IDisposable Limit(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 1");
        var scope = new LimitScope(_limit);
        _limit = threads;
        return scope;
    }

    private sealed class LimitScope(int outer) : IDisposable
    {
        public void Dispose() => _limit = outer;
    }

    /// <summary>Helper threads started so far (they live as long as the process).</summary>
    public static int Helpers => Volatile.Read(ref _helpers);

    private static void EnsureHelpers(int count)
    {
        if (Volatile.Read(ref _helpers) >= count) return;
        lock (StartLock)
            while (_helpers < count)
            {
                new Thread(Help) { IsBackground = true, Name = "shaping-chunks" }.Start();
                _helpers++;
            }
    }

    /// <summary>How long a helper that finds no work keeps looking before it sleeps: longer than the gaps between
    /// the parallel parts of a meta-step (acting, then the referee's evaluation, 0.3–0.5 ms apart), because waking a
    /// sleeping thread on this VM took 40–80 µs, a third of a 4,096-game evaluation's share. The spin yields to any
    /// other runnable thread, so a busy core loses little to it.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 2000;

    private static void Help()
    {
        var watch = new System.Diagnostics.Stopwatch();
        while (true)
        {
            if (!Posted.Wait(0))
            {
                watch.Restart();
                var spinner = new SpinWait();
                while (Posted.CurrentCount == 0 && watch.ElapsedTicks < SpinTicks) spinner.SpinOnce(sleep1Threshold: -1);
                Posted.Wait();
            }
            // Configured per job, not once: the process's settings may be made after this thread started.
            TorchRuntime.EnsureThreadConfigured();
            if (Pending.TryDequeue(out var job)) job.Work();
        }
    }

    private interface IJob
    {
        void Work();
    }

    private sealed class Job<TWorkspace>(int chunks, Func<TWorkspace> workspace, Action<int, TWorkspace> body) : IJob
    {
        private int _next = -1, _finished;
        private Exception? _failure;
        private readonly ManualResetEventSlim _done = new(false);

        public void Work()
        {
            TWorkspace? own = default;
            bool created = false;
            for (int chunk = Interlocked.Increment(ref _next); chunk < chunks; chunk = Interlocked.Increment(ref _next))
            {
                try
                {
                    if (!created) { own = workspace(); created = true; }
                    if (Volatile.Read(ref _failure) is null) body(chunk, own!);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, e, null);
                }
                if (Interlocked.Increment(ref _finished) == chunks) _done.Set();
            }
        }

        public void WaitForChunks()
        {
            // Not disposed: the helper that set it may still be inside Set (the event has no kernel handle to free).
            _done.Wait();
            if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }
}
