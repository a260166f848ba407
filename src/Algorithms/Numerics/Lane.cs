using System.Numerics;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>One value per game, <see cref="Vector{T}.Count"/> games at a time.</summary>
public readonly struct Lane(Vector<float> value) : ILane<Lane>
{
    public readonly Vector<float> Value = value;

    public static Lane operator +(Lane a, Lane b) => new(a.Value + b.Value);
    public static Lane operator -(Lane a, Lane b) => new(a.Value - b.Value);
    public static Lane operator *(Lane a, Lane b) => new(a.Value * b.Value);
    public static Lane operator /(Lane a, Lane b) => new(a.Value / b.Value);
    public static Lane Constant(float value) => new(new Vector<float>(value));
    public static Lane Load(float[] values, float[]? tangents, int offset) => new(new Vector<float>(values, offset));
    public Vector<float> ValuePart => Value;
    public Vector<float> TangentPart => Vector<float>.Zero;
    public static Lane Sigmoid(Lane x) => new(VectorMath.Sigmoid(x.Value));
}
