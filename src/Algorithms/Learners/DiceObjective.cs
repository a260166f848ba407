using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// The DiCE objective (Foerster et al. 2018) of one player on roll-outs, with a choice of baseline. ▣(x) =
/// exp(x − ⊥x) is 1 in value, and the log-probabilities summed in S_t are both players', so derivatives of any order
/// w.r.t. either policy are unbiased estimates of those of the expected discounted return Σ_t γ^t r_t. Per game it
/// is the mean over the game's roll-outs; games are summed (each has its own parameters).
/// </summary>
public static class DiceObjective
{
    public static Tensor Of(Rollout rollout, Seat player, DiceBaseline baseline)
    {
        using var scope = NewDisposeScope();
        var stochastic = rollout.RowLogProbs + rollout.ColLogProbs; // log-probability of the joint action at t
        var dependencies = stochastic.cumsum(2);
        var weighted = rollout.Rewards(player) * rollout.Discounts();
        var perRollout = baseline switch
        {
            DiceBaseline.None => (weighted * MagicBox(dependencies)).sum(2),
            DiceBaseline.Mean => ((weighted - PolicyGradient.LeaveOneOutMean(weighted)) * MagicBox(dependencies)).sum(2),
            DiceBaseline.Value => WithValueBaseline(weighted, dependencies, stochastic, StateValueFit.Baseline(rollout, player)),
            _ => throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "unknown DiCE baseline"),
        };
        return perRollout.mean([1]).sum().MoveToOuterDisposeScope();
    }

    /// <summary>Σ_t w_t ▣(S_t) + b_t (▣(S_{t−1}) − ▣(S_t)), regrouped; S_{t−1} = S_t − log π_t.</summary>
    private static Tensor WithValueBaseline(Tensor weighted, Tensor dependencies, Tensor stochastic, Tensor baseline) =>
        ((weighted - baseline) * MagicBox(dependencies) + baseline * MagicBox(dependencies - stochastic)).sum(2);

    /// <summary>▣(x) = exp(x − stop_gradient(x)).</summary>
    public static Tensor MagicBox(Tensor x) => exp(x - x.detach());
}
