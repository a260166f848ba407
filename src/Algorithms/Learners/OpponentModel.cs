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
        var visits = nn.functional.one_hot(rollout.States(opponent), policySize).to(ScalarType.Float32); // [B, R, L, d]
        var cooperated = (1 - rollout.Actions(opponent).to(ScalarType.Float32)).unsqueeze(-1);
        var seen = visits.sum([1, 2]);
        var cooperations = (visits * cooperated).sum([1, 2]);
        return (log(cooperations + prior) - log(seen - cooperations + prior)).MoveToOuterDisposeScope();
    }
}
