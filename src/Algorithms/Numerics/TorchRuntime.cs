using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Process-level libtorch settings. Flush-to-zero matters: late in an M-FOS run the network's activations and
/// Adam state hold denormal floats, and on this CPU they made the PPO update 1.7× slower (4.73 s → 2.75 s per
/// meta-episode on the final IPD checkpoint, same rewards). TorchSharp 0.107 does not expose
/// torch.set_flush_denormal, so we call libtorch's at::Context::setFlushDenormal directly. It sets the calling
/// thread's FPU mode, so call it on every thread that runs tensor work.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Sets intra-op threads and flush-to-zero for the calling thread; returns false if flush-to-zero is
    /// unavailable (libtorch without the entry point, or a CPU without the mode).</summary>
    public static bool Configure(int intraOpThreads, bool flushDenormal)
    {
        ScalarLifetime.Install();
        _process = (intraOpThreads, flushDenormal);
        set_num_threads(intraOpThreads);
        try { return Native.SetFlushDenormal(Native.GlobalContext(), flushDenormal) || !flushDenormal; }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
    }

    [ThreadStatic] private static bool _threadConfigured;

    private static (int IntraOpThreads, bool FlushDenormal)? _process;

    /// <summary>Applies the settings of the last <see cref="Configure"/> call on the calling thread, once (for
    /// worker threads that split one piece of work; nothing if the process was never configured).</summary>
    public static void EnsureThreadConfigured()
    {
        if (_process is { } p) EnsureConfigured(p.IntraOpThreads, p.FlushDenormal);
    }

    /// <summary>Applies the settings on the calling thread once (actors run on pool threads: call it in every
    /// handler that does tensor work; after the first call on a thread it costs a flag check).</summary>
    public static void EnsureConfigured(int intraOpThreads, bool flushDenormal)
    {
        if (_threadConfigured) return;
        Configure(intraOpThreads, flushDenormal);
        _threadConfigured = true;
    }

    private static class Native
    {
        [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool SetFlushDenormal(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);
    }
}
