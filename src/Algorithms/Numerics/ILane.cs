namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Arithmetic on a SIMD lane of games. The exact-value kernel is written once against this interface and runs
/// with plain values (<see cref="Lane"/>) or with forward-mode tangents (<see cref="DualLane"/>), which gives the
/// Hessian-vector products LOLA needs without a second hand derivation.
/// </summary>
public interface ILane<T> where T : unmanaged, ILane<T>
{
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T Constant(float value);
    static abstract T Sigmoid(T x);

    /// <summary>Loads a lane from consecutive games; tangents are ignored by plain lanes and zero when absent.</summary>
    static abstract T Load(float[] values, float[]? tangents, int offset);

    System.Numerics.Vector<float> ValuePart { get; }
    System.Numerics.Vector<float> TangentPart { get; }
}
