using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
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
    public void States_rewards_and_log_probabilities_follow_the_drawn_actions()
    {
        var game = TestGames.Get("ipd");
        using var generator = new Generator(33);
        var row = randn(3, 5, generator: generator).requires_grad_(true);
        var col = randn(3, 5, generator: generator).requires_grad_(true);
        using var rollout = new SampledGame(game).Play(row, col, 4, 30, generator);
        var ra = rollout.Actions(Seat.Row).data<long>().ToArray();
        var ca = rollout.Actions(Seat.Col).data<long>().ToArray();
        var rs = rollout.States(Seat.Row).data<long>().ToArray();
        var cs = rollout.States(Seat.Col).data<long>().ToArray();
        var rr = rollout.RowRewards.data<float>().ToArray();
        var cr = rollout.ColRewards.data<float>().ToArray();
        var rl = rollout.RowLogProbs.detach().data<float>().ToArray();
        var cl = rollout.ColLogProbs.detach().data<float>().ToArray();
        var rowLogits = row.detach().data<float>().ToArray();
        var colLogits = col.detach().data<float>().ToArray();
        int[] colView = [0, 2, 1, 3];
        for (int cell = 0; cell < ra.Length; cell++)
        {
            int b = cell / (4 * 30), t = cell % 30;
            int joint = (int)(2 * ra[cell] + ca[cell]);
            Assert.Equal(game.RowPayoff[joint], rr[cell]);
            Assert.Equal(game.ColPayoff[joint], cr[cell]);
            if (t == 0) Assert.Equal((0L, 0L), (rs[cell], cs[cell]));
            if (t + 1 < 30) Assert.Equal((1L + joint, 1L + colView[joint]), (rs[cell + 1], cs[cell + 1]));
            // log π(a | s) = log σ(±logit of the state the action was drawn in).
            double Expected(float logit, long action) => -Math.Log(1 + Math.Exp(action == 0 ? -logit : logit));
            Assert.Equal(Expected(rowLogits[b * 5 + rs[cell]], ra[cell]), rl[cell], 4);
            Assert.Equal(Expected(colLogits[b * 5 + cs[cell]], ca[cell]), cl[cell], 4);
        }
        // The log-probabilities stay attached to the policies: d log π / d logit_s = (1 − a) − σ(logit_s).
        var grad = Autodiff.Grad(rollout.RowLogProbs.sum(), [row])[0];
        var expected = PolicyGradient.ScoreOfLogit(rollout.Actions(Seat.Row), rollout.States(Seat.Row), row).unsqueeze(-1)
            * nn.functional.one_hot(rollout.States(Seat.Row), 5).to(ScalarType.Float32);
        Assert.True(grad.allclose(expected.sum([1, 2]), rtol: 1e-4, atol: 1e-4));
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
