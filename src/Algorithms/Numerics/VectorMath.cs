using System.Numerics;
using System.Runtime.CompilerServices;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Elementwise functions on SIMD vectors for the fused kernels, accurate to a few float32 ulps (tested against
/// double precision): exp ≤ 1 ulp, tanh ≤ 4.2 ulps, sigmoid and softplus ≤ 3. .NET's own Vector.Exp was
/// ~1.8 ns per element on this machine, as slow as scalar code; these are Cephes' expf polynomial (Cody–Waite
/// range reduction, 2ⁿ built in the exponent bits) and functions of e^(−|x|) so that only non-positive arguments
/// reach the exponential and nothing overflows. NaN propagates (the *Native min/max take the constant first: on
/// x86 they return their second operand when either is NaN).
/// </summary>
public static class VectorMath
{
    /// <summary>e^z for z ≤ 0 (results below float's normal range flush to e^−87.33 ≈ 1.2e−38).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpOfNonPositive(Vector<float> z) => ExpClamped(Vector.MaxNative(new Vector<float>(-87.33f), z));

    /// <summary>e^z for any z (∞ above float's range, e^−87.33 ≈ 1.2e−38 below its normal range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> z)
    {
        // Up to z = 88.72 the result is finite but 2ⁿ may need n = 128, one past float's exponent range: build
        // 2ⁿ⁻¹ and double it there (an overflow to ∞ above 88.72 is then the multiplication's own).
        var clamped = Vector.MinNative(new Vector<float>(89f), Vector.MaxNative(new Vector<float>(-87.33f), z));
        var (p, n) = ExpParts(clamped);
        var high = Vector.GreaterThan(n, new Vector<float>(127f));
        var scale = PowerOfTwo(n - Vector.ConditionalSelect(high, Vector<float>.One, Vector<float>.Zero));
        return p * scale * Vector.ConditionalSelect(high, new Vector<float>(2f), Vector<float>.One);
    }

    /// <summary>tanh(x) as x·P(x²)/Q(x²), P of degree 6 and Q of degree 3. The coefficients are a near-minimax fit
    /// of tanh(x)/x on [0, 9] made for this project (scripts/fit-tanh-rational.py): relative error 1.0e−8 before
    /// float rounding, ≤ 4.2 ulps after it (the rounding of P/Q near ±1; ≤ 3.1 ulps below |x| = 2). The input is
    /// clamped to ±8.03167, the smallest argument where the float evaluation (with FMA) gives exactly 1: it stays
    /// below 1 under it, and beyond it tanh is within 3.5 ulps of 1 anyway. Half the cost of the exponential form
    /// (1 − e^(−2|x|))/(1 + e^(−2|x|)), which had made tanh the kernel's largest cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> a)
    {
        var x = Vector.MinNative(new Vector<float>(TanhSaturation), Vector.MaxNative(new Vector<float>(-TanhSaturation), a));
        var s = x * x;
        var p = new Vector<float>(-8.4859123937595415e-14f);
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(5.2795953289359796e-11f));
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(-2.0233390097274471e-8f));
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(1.1157125444337946e-5f));
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(0.0031042635420453384f));
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(0.1308429378563f));
        p = Vector.MultiplyAddEstimate(p, s, new Vector<float>(0.99999998989944135f));
        var q = new Vector<float>(0.00025465717235064004f);
        q = Vector.MultiplyAddEstimate(q, s, new Vector<float>(0.024496430964133204f));
        q = Vector.MultiplyAddEstimate(q, s, new Vector<float>(0.46417620562960949f));
        q = Vector.MultiplyAddEstimate(q, s, Vector<float>.One);
        return x * p / q;
    }

    private const float TanhSaturation = 8.03167f;

    /// <summary>σ(x) = 1/(1 + e^−x), through t = e^(−|x|): 1/(1 + t) for x ≥ 0, t/(1 + t) below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        var t = ExpOfNonPositive(-Vector.Abs(x));
        var denominator = Vector<float>.One + t;
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), Vector<float>.One, t) / denominator;
    }

    /// <summary>softplus(x) = log(1 + eˣ) as libtorch computes it (x itself above the threshold 20), in the
    /// overflow-free form max(x, 0) + log1p(e^(−|x|)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x)
    {
        var t = ExpOfNonPositive(-Vector.Abs(x));
        var result = Vector.MaxNative(Vector<float>.Zero, x) + Log1pOfSmall(t);
        return Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(20f)), x, result);
    }

    /// <summary>log(1 + t) for t ∈ [0, 1], to float accuracy also where 1 + t rounds (Goldberg's correction:
    /// log(u) − (u − 1 − t)/u with u = 1 + t rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1pOfSmall(Vector<float> t)
    {
        var u = Vector<float>.One + t;
        return Vector.Log(u) - (u - Vector<float>.One - t) / u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpClamped(Vector<float> z)
    {
        var (p, n) = ExpParts(z);
        return p * PowerOfTwo(n);
    }

    /// <summary>Cephes expf: n = round(z / ln 2) and e^r for r = z − n ln 2, reduced in two parts (n·0.693359375 is
    /// exact), by a degree-7 polynomial on |r| ≤ ln2/2; e^z = e^r·2ⁿ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> Mantissa, Vector<float> Exponent) ExpParts(Vector<float> z)
    {
        var n = Vector.Floor(Vector.MultiplyAddEstimate(z, new Vector<float>(1.44269504088896341f), new Vector<float>(0.5f)));
        var r = Vector.MultiplyAddEstimate(n, new Vector<float>(-0.693359375f), z);
        r = Vector.MultiplyAddEstimate(n, new Vector<float>(2.12194440e-4f), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.MultiplyAddEstimate(p, r, new Vector<float>(5.0000001201e-1f));
        return (Vector.MultiplyAddEstimate(p, r * r, r) + Vector<float>.One, n);
    }

    /// <summary>2ⁿ for integral n ∈ [−126, 127], written straight into the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> PowerOfTwo(Vector<float> n) =>
        Vector.ShiftLeft(Vector.ConvertToInt32Native(n) + new Vector<int>(127), 23).As<int, float>();
}
