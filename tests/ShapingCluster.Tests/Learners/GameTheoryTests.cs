using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>Known answers from game theory and the LOLA paper, played through the same match loop as `shaping play`.</summary>
public class GameTheoryTests
{
    private static MatchResult Play(string row, string col, int steps = 100, string game = "ipd", int batch = 1024)
    {
        var g = TestGames.Get(game);
        var config = TestGames.Defaults;
        return TestGames.Play(g, config.CreateLearner(row, g), config.CreateLearner(col, g), batch, steps, seed: 1);
    }

    [Fact]
    public void Naive_learners_end_near_mutual_defection_in_the_ipd()
    {
        var result = Play("nl", "nl");
        Assert.InRange(result.Row.Curve[^1], -2.05, -1.9);
        Assert.InRange(result.Col.Curve[^1], -2.05, -1.9);
    }

    [Fact]
    public void Lola_learners_end_near_cooperation_in_the_ipd()
    {
        var result = Play("lola", "lola");
        Assert.True(result.Row.Curve[^1] > -1.2, $"row ends at {result.Row.Curve[^1]:F3}");
        Assert.True(result.Col.Curve[^1] > -1.2, $"col ends at {result.Col.Curve[^1]:F3}");
    }

    [Fact]
    public void Tit_for_tat_against_itself_earns_mutual_cooperation()
    {
        var result = Play("tft", "tft", steps: 3);
        Assert.Equal(-1.0, result.Row.Reward, 4);
        Assert.Equal(-1.0, result.Col.Reward, 4);
    }

    [Fact]
    public void Always_defect_exploits_always_cooperate()
    {
        var result = Play("alld", "allc", steps: 3);
        Assert.Equal(0.0, result.Row.Reward, 4);
        Assert.Equal(-3.0, result.Col.Reward, 4);
    }

    [Fact]
    public void Naive_learner_exploits_tit_for_tat_less_than_it_cooperates_with_it()
    {
        // Against TFT the naive learner's best response is to cooperate: it must end near -1, not defect.
        var result = Play("nl", "tft", steps: 200);
        Assert.True(result.Row.Curve[^1] > -1.1, $"nl ends at {result.Row.Curve[^1]:F3}");
    }

    [Fact]
    public void Zero_sum_matching_pennies_rewards_cancel()
    {
        var result = Play("lola", "nl", game: "imp", steps: 20);
        for (int t = 0; t < 20; t++) Assert.Equal(0.0, result.Row.Curve[t] + result.Col.Curve[t], 5);
    }

    [Fact]
    public void Opponent_model_recovers_a_fixed_opponents_policy()
    {
        var game = TestGames.Get("ipd");
        using var generator = new Generator(51);
        var opponent = randn(16, 5, generator: generator).clamp(-2, 2);
        var own = zeros(16, 5); // uniform play visits every state
        using var rollout = new SampledGame(game).Play(own, opponent, 400, 50, generator);
        var fitted = OpponentModel.Fit(rollout, Seat.Col, 5, prior: 0.5);
        // Each state's estimate is a Bernoulli mean over the n times the opponent was seen there.
        var seen = nn.functional.one_hot(rollout.States(Seat.Col), 5).sum([1, 2]).to(ScalarType.Float32);
        var p = opponent.sigmoid();
        var z = ((fitted.sigmoid() - p).abs() / (p * (1 - p) / seen).sqrt()).max().item<float>();
        Assert.True(z < 5f, $"largest error is {z:F2} standard errors");
        Assert.True((fitted.sigmoid() - p).abs().max().item<float>() < 0.1f);
    }
}
