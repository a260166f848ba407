using System.Runtime.CompilerServices;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Tests;

internal static class TorchSetup
{
    /// <summary>Tests touch tensors directly, before any product entry point would install the deferred Scalar
    /// disposal: install it when the test assembly loads.</summary>
    [ModuleInitializer]
    internal static void Install() => ScalarLifetime.Install();
}
