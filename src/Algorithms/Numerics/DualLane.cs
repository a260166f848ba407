using System.Numerics;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>A value and its directional derivative (forward mode), one per game, a SIMD lane of games at a time.</summary>
public readonly struct DualLane(Vector<float> value, Vector<float> tangent) : ILane<DualLane>
{
    public readonly Vector<float> Value = value;
    public readonly Vector<float> Tangent = tangent;

    public static DualLane operator +(DualLane a, DualLane b) => new(a.Value + b.Value, a.Tangent + b.Tangent);
    public static DualLane operator -(DualLane a, DualLane b) => new(a.Value - b.Value, a.Tangent - b.Tangent);
    public static DualLane operator *(DualLane a, DualLane b) =>
        new(a.Value * b.Value, a.Tangent * b.Value + a.Value * b.Tangent);
    public static DualLane operator /(DualLane a, DualLane b)
    {
        var q = a.Value / b.Value;
        return new(q, (a.Tangent - q * b.Tangent) / b.Value);
    }
    public static DualLane Constant(float value) => new(new Vector<float>(value), Vector<float>.Zero);
    public static DualLane Load(float[] values, float[]? tangents, int offset) =>
        new(new Vector<float>(values, offset), tangents is null ? Vector<float>.Zero : new Vector<float>(tangents, offset));
    public Vector<float> ValuePart => Value;
    public Vector<float> TangentPart => Tangent;
    public static DualLane Sigmoid(DualLane x)
    {
        var s = VectorMath.Sigmoid(x.Value);
        return new(s, s * (Vector<float>.One - s) * x.Tangent);
    }
}
