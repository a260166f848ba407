using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Maximum-likelihood fit of a memory-one opponent from its observed actions: each of the d logits is an
/// independent Bernoulli whose MLE is the log-odds of cooperating in that state; a pseudo-count on both actions
/// keeps states never visited finite (a MAP estimate under a symmetric Beta prior).
/// </summary>
public static class OpponentModel
{
    public static Tensor Fit(Rollout rollout, Seat opponent, int policySize, double prior)
    {
        if (prior <= 0) throw new ArgumentException("the opponent model's prior pseudo-count must be positive");
        using var scope = NewDisposeScope();
        var observed = rollout.States(opponent);
        var states = observed.reshape(observed.shape[0], -1); // [B, R·L]
        var cooperated = 1 - rollout.Actions(opponent).to(ScalarType.Float32).reshape(states.shape);
        var seen = zeros(states.shape[0], policySize).scatter_add_(1, states, ones_like(cooperated));
        var cooperations = zeros(states.shape[0], policySize).scatter_add_(1, states, cooperated);
        return (log(cooperations + prior) - log(seen - cooperations + prior)).MoveToOuterDisposeScope();
    }
}
