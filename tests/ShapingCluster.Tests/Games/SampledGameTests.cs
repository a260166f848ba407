using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Games;

/// <summary>Roll-outs agree with the exact value statistically.</summary>
public class SampledGameTests
{
    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Mean_discounted_return_of_long_rollouts_matches_the_exact_value(string gameName)
    {
        var game = TestGames.Get(gameName);
        const int batch = 4, samples = 4000, length = 400; // γ^400 ≈ 8e-8: truncation is negligible
        using var generator = new Generator(31);
        var row = randn(batch, game.PolicySize, generator: generator);
        var col = randn(batch, game.PolicySize, generator: generator);
        var (exactRow, exactCol) = new ExactGame(game).Returns(row, col);
        using var rollout = new SampledGame(game).Play(row, col, samples, length, generator);
        var discounts = rollout.Discounts();
        foreach (var (exact, rewards, who) in new[] { (exactRow, rollout.RowRewards, "row"), (exactCol, rollout.ColRewards, "col") })
        {
            var returns = (rewards * discounts).sum(2).to(ScalarType.Float64); // [B, R]
            var mean = returns.mean([1]);
            var standardError = returns.std(1) / Math.Sqrt(samples);
            var z = ((mean - exact.to(ScalarType.Float64)).abs() / (standardError + 1e-9)).max().item<double>();
            // Four standard errors on each of 2 × 4 estimates: a false alarm has probability below 1e-3.
            Assert.True(z < 4.0, $"{gameName} {who}: sampled mean is {z:F2} standard errors from the exact value");
        }
    }

    [Fact]
    public void One_shot_games_roll_out_a_single_step()
    {
        var game = TestGames.Get("chicken");
        using var generator = new Generator(1);
        using var rollout = new SampledGame(game).Play(zeros(3, 1), zeros(3, 1), 5, 50, generator);
        Assert.Equal(new long[] { 3, 5, 1 }, rollout.RowRewards.shape);
    }
}
