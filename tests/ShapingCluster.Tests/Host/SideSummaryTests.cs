using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Host.Play;

namespace ShapingCluster.Tests.Host;

/// <summary>What `play` reports per side is what the referee recorded.</summary>
public class SideSummaryTests
{
    [Fact]
    public void Final_and_curve_agree_with_the_rewards_the_referee_recorded()
    {
        var game = TestGames.Get("ipd");
        const int batch = 12, steps = 17;
        var settings = TestGames.Defaults.LearnerSettings("nl-pg", game) with { Rollouts = 4, RolloutLength = 20 };
        var learner = Algorithms.Learners.LearnerCatalog.Create("nl-pg", game, settings);
        using var row = new RewardRecorder(new InnerLearnerPlayer(learner, Seat.Row, batch, game.PolicySize, Seeds.Derive(9, 0, 0)));
        using var col = new RewardRecorder(new InnerLearnerPlayer(TestGames.Defaults.CreateLearner("lola", game), Seat.Col, batch,
            game.PolicySize, Seeds.Derive(9, 0, 1)));
        var referee = new MatchReferee(game, batch, steps);
        var result = Match.Play(referee, row, col);
        foreach (var (recorder, curve) in new[] { (row, referee.RowCurve), (col, referee.ColCurve) })
        {
            var summary = SideSummary.Of(curve, recorder.Rewards);
            Assert.Equal(curve, summary.Curve);
            Assert.Equal(steps, recorder.Rewards.Count);
            // Every step's per-game rewards average to the referee's mean of that step.
            for (int t = 0; t < steps; t++) Assert.Equal(curve[t], recorder.Rewards[t].Average(), 1e-5);
            for (int b = 0; b < batch; b++)
                Assert.Equal(Enumerable.Range(steps - 10, 10).Average(t => recorder.Rewards[t][b]), summary.Finals[b], 1e-5);
            Assert.Equal(curve.Skip(steps - 10).Average(), summary.Final, 1e-5);
        }
        Assert.Equal(result.Row.Curve, referee.RowCurve);
    }

    [Fact]
    public void Matches_shorter_than_the_window_average_every_step()
    {
        var summary = SideSummary.Of([-1.0, -2.0], [[-1f, -1f], [-2f, -2f]]);
        Assert.Equal(-1.5, summary.Final, 6);
        Assert.Equal([-1.5, -1.5], summary.Finals);
    }
}
