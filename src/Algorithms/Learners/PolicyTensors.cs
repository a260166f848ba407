using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>Copies between batched policy tensors [B, d] and flat row-major float arrays.</summary>
public static class PolicyTensors
{
    public static float[] ToArray(Tensor policy)
    {
        // A dispose scope keeps every temporary reachable until it is disposed here, on this thread: temporaries
        // left to the finalizer can be freed while libtorch still uses them (native heap corruption).
        using var scope = NewDisposeScope();
        var cpu = policy.detach().to(ScalarType.Float32).contiguous();
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(cpu.bytes).ToArray();
    }


    /// <summary>Standard normal logits [B, d], the reference's initialisation of every learner.</summary>
    public static Tensor StandardNormal(int batch, int dim, Generator generator) => randn(batch, dim, generator: generator);
}
