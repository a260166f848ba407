using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// An inner learner: it owns a learning rule, not the parameters, which are batched policies [B, d] of logits
/// (one row per game) handed in and returned, so the same learner serves any number of games and matches.
/// </summary>
public interface IInnerLearner
{
    string Name { get; }

    /// <summary>The policy a fresh learner starts a match with.</summary>
    Tensor InitialPolicy(int batch, Generator generator);

    /// <summary>One learning step from <paramref name="own"/> against the opponent's current policy; returns the next
    /// own policy, detached. Both arguments are [B, d] logits, each from its own player's perspective.</summary>
    Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator);

    /// <summary>The same step on [B, d] row-major arrays (what the match loop holds). Learners that compute on arrays
    /// anyway (the exact ones) override it and skip the copies into and out of tensors.</summary>
    float[] Step(float[] own, float[] opponent, int batch, Seat seat, Generator generator)
    {
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var scope = NewDisposeScope();
        int size = own.Length / batch;
        return PolicyTensors.ToArray(Step(NativeTensors.Of(own, batch, size), NativeTensors.Of(opponent, batch, size), seat, generator));
    }
}
