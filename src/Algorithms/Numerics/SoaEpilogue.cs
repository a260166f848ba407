using System.Numerics;
using System.Runtime.CompilerServices;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>What <see cref="SoaMatrix.Multiply{TEpilogue}"/> does with each finished sum.</summary>
public interface ISoaEpilogue
{
    static abstract void Apply(Vector<float> sum, ref Vector<float> target);
}

/// <summary>target ← sum.</summary>
public readonly struct StoreSum : ISoaEpilogue
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(Vector<float> sum, ref Vector<float> target) => target = sum;
}

/// <summary>target ← tanh(sum): a hidden layer's activation.</summary>
public readonly struct StoreTanh : ISoaEpilogue
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(Vector<float> sum, ref Vector<float> target) => target = VectorMath.Tanh(sum);
}

/// <summary>target ← sum · (1 − target²), with target holding tanh's output: back-propagation through tanh, in place.</summary>
public readonly struct TanhBackward : ISoaEpilogue
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(Vector<float> sum, ref Vector<float> target) =>
        target = sum * Vector.MultiplyAddEstimate(-target, target, Vector<float>.One);
}
