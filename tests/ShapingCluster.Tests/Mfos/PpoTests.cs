using ShapingCluster.Algorithms.Mfos;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Mfos;

/// <summary>PPO pieces against values computed by hand.</summary>
public class PpoTests
{
    [Fact]
    public void Diagonal_gaussian_log_probability_and_entropy_match_the_formulas()
    {
        // x = (1, -1), μ = (0, 0.5), σ² = (1, 4):
        // log p = −½[(1/1 + ln 1 + ln 2π) + (2.25/4 + ln 4 + ln 2π)] = −½(1 + 0.5625 + ln 4) − ln 2π
        var x = tensor(new float[] { 1, -1 }).unsqueeze(0);
        var mean = tensor(new float[] { 0, 0.5f }).unsqueeze(0);
        var variance = tensor(new float[] { 1, 4 }).unsqueeze(0);
        double expected = -0.5 * (1 + 0.5625 + Math.Log(4)) - Math.Log(2 * Math.PI);
        Assert.Equal(expected, DiagonalGaussian.LogProb(x, mean, variance).item<float>(), 5);
        // H = ½ ln(2πe·1) + ½ ln(2πe·4)
        double entropy = 0.5 * Math.Log(2 * Math.PI * Math.E) + 0.5 * Math.Log(2 * Math.PI * Math.E * 4);
        Assert.Equal(entropy, DiagonalGaussian.Entropy(variance).item<float>(), 5);
    }

    [Fact]
    public void Clipped_surrogate_takes_the_pessimistic_term()
    {
        // ratios e^0.5 ≈ 1.6487 (clipped to 1.2) and e^-0.5 ≈ 0.6065 (clipped to 0.8); advantages +1 and +2:
        // min(1.6487·1, 1.2·1) + min(0.6065·2, 0.8·2) = 1.2 + 1.2131
        var logProbs = tensor(new float[] { 0.5f, -0.5f });
        var old = zeros(2);
        var advantages = tensor(new float[] { 1, 2 });
        Assert.Equal(1.2 + 2 * Math.Exp(-0.5), PpoUpdate.ClippedSurrogateSum(logProbs, old, advantages, 0.2).item<float>(), 5);
        // With a negative advantage the larger ratio is the pessimistic one: min(1.6487·−1, 1.2·−1) = −1.6487
        Assert.Equal(-Math.Exp(0.5), PpoUpdate.ClippedSurrogateSum(logProbs[..1], old[..1], tensor(new float[] { -1 }), 0.2).item<float>(), 5);
    }

    [Fact]
    public void Returns_are_discounted_per_game_and_normalised_over_all_values()
    {
        // Two steps, two games: R_1 = r_1, R_0 = r_0 + 0.5 r_1.
        var rewards = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var returns = PpoUpdate.DiscountedReturns(rewards, 0.5);
        Assert.Equal(new[] { 2.5f, 4f, 3f, 4f }, returns.flatten().data<float>().ToArray());
        var normalised = PpoUpdate.Normalise(returns);
        // mean 3.375, sample std of (2.5, 4, 3, 4) = 0.75
        Assert.Equal((2.5 - 3.375) / (0.75 + 1e-5), normalised[0, 0].item<float>(), 4);
        Assert.Equal(0, normalised.mean().item<float>(), 5);
    }

    [Fact]
    public void Chunked_accumulation_gives_the_full_batch_update()
    {
        var trajectory = new MetaTrajectory(10, 5);
        var random = new Random(5);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        for (int t = 0; t < 6; t++)
        {
            trajectory.AddDecision(Draw(100), Draw(50), Draw(10));
            trajectory.AddReward(Draw(10));
        }
        float[] After(int chunk)
        {
            using var init = new Generator(7);
            using var agent = new MfosAgent(5, new PpoSettings { Hidden = 16, ChunkSize = chunk, Epochs = 2 }, init);
            agent.Learn(trajectory);
            return agent.Network.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
        }
        var full = After(60);
        var chunked = After(7);
        Assert.Equal(full.Length, chunked.Length);
        for (int i = 0; i < full.Length; i++) Assert.Equal(full[i], chunked[i], 4);
    }
}
