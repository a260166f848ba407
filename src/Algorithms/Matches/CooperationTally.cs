using System.Numerics;

namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// Mean P(C) = sigmoid(logit) per logit (start, CC, CD, DC, DD from the player's side) over every policy a player
/// was valued with: how cooperative it played, for any kind of player. Summed in double, sigmoids in float SIMD.
/// </summary>
public sealed class CooperationTally(int batch, int policySize)
{
    private readonly double[] _sums = new double[policySize];
    private readonly float[] _probabilities = new float[batch * policySize];
    private int _policies;

    public void Add(float[] logits)
    {
        int lanes = Vector<float>.Count, i = 0;
        for (; i + lanes <= logits.Length; i += lanes)
        {
            var x = new Vector<float>(logits, i);
            (Vector<float>.One / (Vector<float>.One + Vector.Exp(-x))).CopyTo(_probabilities, i);
        }
        for (; i < logits.Length; i++) _probabilities[i] = 1 / (1 + MathF.Exp(-logits[i]));
        for (int k = 0; k < _probabilities.Length; k++) _sums[k % policySize] += _probabilities[k];
        _policies++;
    }

    /// <summary>Mean P(C) per logit; NaN before any policy was added.</summary>
    public double[] Means() => _sums.Select(s => _policies == 0 ? double.NaN : s / (_policies * (double)batch)).ToArray();
}
