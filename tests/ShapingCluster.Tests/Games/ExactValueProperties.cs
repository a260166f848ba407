using FsCheck.Xunit;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Games;

/// <summary>Properties of the exact value over random policies, including saturated logits (scale up to 16).</summary>
public class ExactValueProperties
{
    [Property(MaxTest = 60)]
    public bool Discounted_visits_are_a_distribution_over_the_horizon_and_rewards_stay_within_the_payoffs(int seed, byte scale)
    {
        foreach (var game in TestGames.Defaults.Games.Values)
        {
            var (row, col) = Policies(game, seed, scale);
            using var visits = new ExactGame(game).StateVisits(row, col).to(ScalarType.Float64);
            double horizon = game.Iterated ? 1 / (1 - game.Discount) : 1;
            if (visits.min().item<double>() < -1e-6) return false;
            if ((visits.sum(1) - horizon).abs().max().item<double>() > 1e-3 * horizon) return false;
            var (vr, vc) = new ExactGame(game).Returns(row, col);
            foreach (var (value, payoff) in new[] { (vr, game.RowPayoff), (vc, game.ColPayoff) })
            {
                var reward = value.to(ScalarType.Float64) * game.RewardScale;
                double slack = 1e-3 * Math.Max(1, payoff.Max(Math.Abs));
                if (reward.min().item<double>() < payoff.Min() - slack || reward.max().item<double>() > payoff.Max() + slack) return false;
            }
        }
        return true;
    }

    [Property(MaxTest = 60)]
    public bool Kernel_and_autograd_values_agree_for_any_policies(int seed, byte scale)
    {
        foreach (var game in TestGames.Defaults.Games.Values)
        {
            var (row, col) = Policies(game, seed, scale);
            var (vr, _) = new ExactGame(game).Returns(row, col);
            var kernel = new ExactValueKernel(game).Evaluate(PolicyTensors.ToArray(row), PolicyTensors.ToArray(col), (int)row.shape[0]);
            double tolerance = 1e-3 * Math.Max(1, game.RowPayoff.Max(Math.Abs)) / game.RewardScale;
            if ((vr - tensor(kernel.Value(Seat.Row))).abs().max().item<float>() > tolerance) return false;
        }
        return true;
    }

    private static (Tensor Row, Tensor Col) Policies(MatrixGame game, int seed, byte scale)
    {
        using var generator = new Generator((ulong)(uint)seed);
        float s = scale / 16f;
        return (randn(9, game.PolicySize, generator: generator) * s, randn(9, game.PolicySize, generator: generator) * s);
    }
}
