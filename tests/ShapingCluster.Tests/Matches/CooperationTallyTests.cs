using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Tests.Matches;

/// <summary>The tally's SIMD sigmoids and lane sums against a plain double-precision mean of σ(logit) per logit.</summary>
public class CooperationTallyTests
{
    [Theory]
    [InlineData(4096, 5, 3)]
    [InlineData(37, 5, 2)] // a tail past the last whole period
    [InlineData(3, 5, 1)] // no whole period at all
    [InlineData(101, 1, 4)] // one-shot games: one logit
    public void Means_are_the_double_precision_mean_of_the_sigmoids_per_logit(int batch, int policySize, int policies)
    {
        var random = new Random(batch + policySize);
        var tally = new CooperationTally(batch, policySize);
        var expected = new double[policySize];
        for (int p = 0; p < policies; p++)
        {
            var logits = Enumerable.Range(0, batch * policySize).Select(_ => (float)(6 * random.NextDouble() - 3)).ToArray();
            logits[0] = -100; // saturated: σ = 0 to float precision
            tally.Add(logits);
            for (int i = 0; i < logits.Length; i++) expected[i % policySize] += 1 / (1 + Math.Exp(-(double)logits[i]));
        }
        var means = tally.Means();
        for (int k = 0; k < policySize; k++)
            Assert.True(Math.Abs(expected[k] / (policies * (double)batch) - means[k]) < 1e-7, $"logit {k}: {means[k]} vs {expected[k] / (policies * (double)batch)}");
    }

    [Fact]
    public void Means_are_nan_before_any_policy_and_a_policy_of_the_wrong_size_is_refused()
    {
        var tally = new CooperationTally(4, 5);
        Assert.All(tally.Means(), m => Assert.True(double.IsNaN(m)));
        Assert.Contains("4 × 5", Assert.Throws<ArgumentException>(() => tally.Add(new float[19])).Message);
    }
}
