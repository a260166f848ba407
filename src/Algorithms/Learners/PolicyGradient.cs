using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Score-function estimators on roll-outs, shared by the policy-gradient learners (DiCE is <see cref="DiceObjective"/>).
/// All objectives are per game summed over the batch (every game has its own parameters) and averaged over the
/// game's roll-outs, on the same scale as the exact return Σ_t γ^t r_t.
/// </summary>
public static class PolicyGradient
{
    /// <summary>
    /// REINFORCE surrogate whose gradient w.r.t. the policy behind <paramref name="logProbs"/> estimates ∇E[Σ γ^t r_t]:
    /// Σ_t log π_t (G_t − b_t), G_t the discounted reward-to-go (weighted from t = 0), b_t the leave-one-out mean
    /// of the other roll-outs of the same game.
    /// </summary>
    public static Tensor Reinforce(Tensor logProbs, Tensor rewards, Tensor discounts)
    {
        using var scope = NewDisposeScope();
        var weighted = (rewards * discounts).detach();
        var toGo = weighted.flip([2]).cumsum(2).flip([2]);
        var advantage = toGo - LeaveOneOutMean(toGo);
        return (logProbs * advantage).sum(2).mean([1]).sum().MoveToOuterDisposeScope();
    }

    /// <summary>d log π(a | s) / d logit_s for the logit the action was drawn from: (1 − a) − σ(logit).</summary>
    public static Tensor ScoreOfLogit(Tensor actions, Tensor states, Tensor policy)
    {
        long batch = actions.shape[0], samples = actions.shape[1];
        var logits = policy.detach().unsqueeze(1).expand(batch, samples, policy.shape[1]).gather(2, states);
        return 1 - actions.to(ScalarType.Float32) - logits.sigmoid();
    }

    /// <summary>For each roll-out (dimension 1), the mean of the game's other roll-outs; 0 with a single roll-out.</summary>
    internal static Tensor LeaveOneOutMean(Tensor x)
    {
        long samples = x.shape[1];
        if (samples < 2) return zeros_like(x);
        return (x.sum(1, keepdim: true) - x) / (samples - 1);
    }
}
