using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Meva;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Meva;

public class TemporalDifferenceTests(ITestOutputHelper output)
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Sets a network's parameters, in declaration order (layer by layer, weight then bias).</summary>
    private static void SetParameters(MetaValueNetwork network, params float[][] values)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parameters = network.parameters().ToArray();
        Assert.Equal(values.Length, parameters.Length);
        for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(NativeTensors.Of(values[i], parameters[i].shape));
    }

    [Fact]
    public void The_td_target_of_a_chicken_state_is_the_hand_computed_one()
    {
        // One-shot chicken (one logit a side), α = 0.1, γ = 0.5, and a target network with one tanh unit that reads
        // only the own probability: n(own, other) = tanh(σ(own)), so ∂n/∂own = (1 − tanh²σ)·σ(1 − σ).
        using var meva = MevaTestMembers.Create("chicken",
            "learning-rate = 0.1, discount = 0.5, variable-discount.enabled = off, network { hidden = 1, layers = 1 }");
        SetParameters(meva.Target.Network, [1f, 0f], [0f], [1f], [0f]);
        const double alpha = 0.1, gamma = 0.5, m = 100; // m: chicken's largest |payoff|; its reward scale is 1
        double xRow = 0.3, xCol = -0.2;

        // P(swerve) a, b; payoffs (CC, CD, DC, DD) row (0, −1, 1, −100), column (0, 1, −1, −100).
        static double FRow(double a, double b) => -a * (1 - b) + (1 - a) * b - 100 * (1 - a) * (1 - b);
        static double FCol(double a, double b) => a * (1 - b) - (1 - a) * b - 100 * (1 - a) * (1 - b);
        static double DN(double x) => (1 - Math.Pow(Math.Tanh(Sigmoid(x)), 2)) * Sigmoid(x) * (1 - Sigmoid(x));
        double a0 = Sigmoid(xRow), b0 = Sigmoid(xCol);
        double dRow = a0 * (1 - a0) * (99 * (1 - b0) - b0), dCol = b0 * (1 - b0) * (99 * (1 - a0) - a0);
        double factor = gamma * m / (1 - gamma); // γ·∂U/∂n = γm/((1 − γ)s), s = 1
        double nextRow = xRow + alpha * (dRow + factor * DN(xRow));
        double nextCol = xCol + alpha * (dCol + factor * DN(xCol));
        double a1 = Sigmoid(nextRow), b1 = Sigmoid(nextCol);
        double yRow = ((1 - gamma) * FRow(a1, b1) + gamma * m * Math.Tanh(a1)) / m;
        double yCol = ((1 - gamma) * FCol(a1, b1) + gamma * m * Math.Tanh(b1)) / m;

        var (successorRow, successorCol) = meva.TemporalDifference.GreedySuccessor(meva.Target, [(float)xRow], [(float)xCol], 1, [0.5f]);
        Assert.Equal(nextRow, successorRow[0], 4);
        Assert.Equal(nextCol, successorCol[0], 4);
        var targets = meva.TemporalDifference.Targets(meva.Target, [(float)xRow], [(float)xCol], 1, [0.5f]);
        // float32 all the way (sigmoid, kernel, network): five decimals on targets of order 0.5.
        Assert.Equal(yRow, targets[0], 5);
        Assert.Equal(yCol, targets[1], 5);
        Assert.True(Math.Abs(yRow - yCol) > 1e-3, "the two seats' targets must differ for this check to tell them apart");
    }

    [Fact]
    public void Learning_from_matches_lowers_the_td_error_on_states_it_has_not_seen()
    {
        var config = TestGames.With("shaping.learners.meva { td { updates = 40, minibatch = 256 } replay { per-match = 2048 } }");
        var game = config.Game("ipd");
        var experiment = new Experiment
        {
            Name = "td", Game = "ipd", Kind = "meva", Mirror = true, Opponent = "nl", Episodes = 10, Batch = 128, MetaSteps = 20,
            Seed = 31, Lambda = new LambdaSchedule(0.5, 0),
        };
        using var training = TestGames.Training(experiment, config);
        var meva = (MevaAgent)training.Members[0];

        // Held-out joint states: a match of this member against NL on other seeds than any training episode's.
        using var nl = config.MemberFactory("nl", game).Create(0);
        using var probe = (MevaPlayer)meva.NewPlayer(new PlayerRequest("probe", Seat.Col, 64, Seeds.Derive(999, 0, 1)));
        using var opponent = nl.NewPlayer(new PlayerRequest("nl", Seat.Row, 64, Seeds.Derive(999, 0, 0)));
        ShapingCluster.Algorithms.Matches.Match.Play(new ShapingCluster.Algorithms.Matches.MatchReferee(game, 64, 20), opponent, probe);
        float[] rows = probe.Visited.SelectMany(v => v.Rows).ToArray(), cols = probe.Visited.SelectMany(v => v.Cols).ToArray();
        int count = rows.Length / 5;
        var discounts = Enumerable.Range(0, count).Select(i => 0.95f * i / count).ToArray();
        double Error() => meva.TemporalDifference.Loss(meva.Online, rows, cols, count, discounts,
            meva.TemporalDifference.Targets(meva.Target, rows, cols, count, discounts));

        double before = Error();
        while (!training.Finished) training.RunNextEpisode();
        double after = Error();
        output.WriteLine($"TD error on held-out states: {before:G4} before, {after:G4} after {experiment.Episodes} episodes");
        Assert.True(after < before / 4, $"TD error on held-out states {before:G4} before training, {after:G4} after");
    }
}
