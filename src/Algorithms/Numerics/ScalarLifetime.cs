using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Routes TorchSharp's native calls through libShapingTorchSharp.so, which frees a disposed Scalar only two
/// seconds after its disposal (Native/deferred_scalar_disposal.c). TorchSharp 0.107 hands implicitly created
/// Scalars (the alpha of <c>a + b</c>, Adam's coefficients) to native calls without keeping them alive; a garbage
/// collection during the call lets the finalizer thread free the Scalar while libtorch reads it. This crashed a
/// self-play run after 14 episodes ("Expected false to be true" from Scalar::toFloat) and can silently give a
/// wrong coefficient; a thread forcing collections next to <c>a + b</c> reproduced it 133 times in 10 s
/// without this, 0 with it. <see cref="TorchRuntime.Configure"/> installs it, and every command configures torch
/// before its first tensor operation (a P/Invoke bound earlier would keep its target); commands without tensor work
/// (status, --help) do not load libtorch at all.
/// </summary>
public static class ScalarLifetime
{
    public const string LibraryFile = "libShapingTorchSharp.so";

    private static readonly object Gate = new();
    private static IntPtr _library;

    /// <summary>Whether TorchSharp's P/Invokes resolve to the deferring library.</summary>
    public static bool Installed => _library != IntPtr.Zero;

    /// <summary>Installs the resolver once per process; throws naming the file when the library is missing.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (Installed || !OperatingSystem.IsLinux()) return;
            var torchSharp = typeof(torch).Assembly;
            var path = Path.Combine(Path.GetDirectoryName(torchSharp.Location) ?? AppContext.BaseDirectory, LibraryFile);
            if (!File.Exists(path))
                throw new DllNotFoundException($"{path} is missing; it is built with the project (build/DeferredScalarDisposal.targets, needs gcc)");
            _library = NativeLibrary.Load(path);
            NativeLibrary.SetDllImportResolver(torchSharp, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "LibTorchSharp" ? _library : IntPtr.Zero;

    /// <summary>Disposed Scalars not yet freed (for tests).</summary>
    public static ulong PendingScalars() => Installed ? PendingScalarsNative() : 0;

    /// <summary>Scalars freed since the process started (for tests).</summary>
    public static ulong FreedScalars() => Installed ? FreedScalarsNative() : 0;

    [DllImport(LibraryFile, EntryPoint = "shaping_pending_scalars")]
    private static extern ulong PendingScalarsNative();

    [DllImport(LibraryFile, EntryPoint = "shaping_freed_scalars")]
    private static extern ulong FreedScalarsNative();
}
