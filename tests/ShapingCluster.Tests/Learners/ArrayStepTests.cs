using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>The match loop steps learners on arrays; that must be the same step as on tensors, for the exact
/// learners (their own array path) and for the others (the interface's copying default).</summary>
public class ArrayStepTests
{
    [Theory]
    [InlineData("nl", Seat.Row)]
    [InlineData("lola", Seat.Col)]
    [InlineData("tft", Seat.Row)]
    [InlineData("nl-pg", Seat.Col)]
    public void Array_step_is_the_tensor_step(string learnerName, Seat seat)
    {
        var game = TestGames.Get("ipd");
        var learner = TestGames.Defaults.CreateLearner(learnerName, game);
        const int batch = 13;
        using var scope = NewDisposeScope();
        using var draw = new Generator(31);
        var own = randn(batch, game.PolicySize, generator: draw);
        var other = randn(batch, game.PolicySize, generator: draw);
        using var first = new Generator(32);
        var viaTensors = PolicyTensors.ToArray(learner.Step(own, other, seat, first));
        using var second = new Generator(32);
        var viaArrays = learner.Step(PolicyTensors.ToArray(own), PolicyTensors.ToArray(other), batch, seat, second);
        Assert.Equal(viaTensors, viaArrays);
    }

    [Fact]
    public void Array_step_leaves_its_inputs_alone()
    {
        var game = TestGames.Get("ipd");
        var learner = TestGames.Defaults.CreateLearner("nl", game);
        var own = Enumerable.Range(0, 5 * 9).Select(i => (float)Math.Sin(i)).ToArray();
        var other = Enumerable.Range(0, 5 * 9).Select(i => (float)Math.Cos(i)).ToArray();
        var (ownCopy, otherCopy) = (own.ToArray(), other.ToArray());
        using var generator = new Generator(1);
        learner.Step(own, other, 9, Seat.Row, generator);
        Assert.Equal(ownCopy, own);
        Assert.Equal(otherCopy, other);
    }
}
