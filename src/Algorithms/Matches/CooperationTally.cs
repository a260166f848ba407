using System.Numerics;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// Mean P(C) = sigmoid(logit) per logit (start, CC, CD, DC, DD from the player's side) over every policy a player
/// was valued with: how cooperative it played, for any kind of player. Sigmoids in float SIMD, sums in double: a
/// policy [B, d] is read in periods of lcm(lanes, d) floats, each lane of each period's vectors summing one logit
/// of every period, so the logit of a lane is fixed and no per-element index arithmetic is needed.
/// </summary>
public sealed class CooperationTally(int batch, int policySize)
{
    private readonly double[] _sums = new double[policySize];
    private int _policies;

    public void Add(float[] logits)
    {
        if (logits.Length != batch * policySize)
            throw new ArgumentException($"a policy of {logits.Length} logits, the tally counts {batch} × {policySize}");
        int lanes = Vector<float>.Count, half = Vector<double>.Count;
        int vectors = policySize / Gcd(lanes, policySize), period = vectors * lanes;
        Span<Vector<double>> low = stackalloc Vector<double>[vectors], high = stackalloc Vector<double>[vectors];
        int i = 0;
        for (; i + period <= logits.Length; i += period)
            for (int m = 0; m < vectors; m++)
            {
                Vector.Widen(VectorMath.Sigmoid(new Vector<float>(logits, i + m * lanes)), out var l, out var h);
                low[m] += l;
                high[m] += h;
            }
        for (int m = 0; m < vectors; m++)
            for (int j = 0; j < half; j++)
            {
                _sums[(m * lanes + j) % policySize] += low[m][j];
                _sums[(m * lanes + half + j) % policySize] += high[m][j];
            }
        for (; i < logits.Length; i++) _sums[i % policySize] += 1 / (1 + Math.Exp(-logits[i]));
        _policies++;
    }

    /// <summary>Mean P(C) per logit; NaN before any policy was added.</summary>
    public double[] Means() => _sums.Select(s => _policies == 0 ? double.NaN : s / (_policies * (double)batch)).ToArray();

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
