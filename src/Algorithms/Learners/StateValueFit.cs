using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// The value baseline of <see cref="DiceBaseline.Value"/>: b_t = γ^t h_t v(s_t), where v is a per-state value per
/// step fitted by least squares to the returns-to-go G_t = Σ_{k≥t} γ^{k−t} r_k under the model G_t ≈ h_t v(s_t), and
/// h_t = Σ_{k<L−t} γ^k is the weight left before the roll-out is cut off (without it the late, truncated returns
/// would drag every state's value towards 0). Each roll-out's v comes from the game's other roll-outs only, so the
/// baseline is independent of the actions it multiplies and no derivative's expectation moves. The official
/// LOLA-DiCE code fits a linear value by SGD across updates and the reimplementation a tabular one by Adam; a closed
/// form refitted every step needs no state kept between steps.
/// </summary>
public static class StateValueFit
{
    /// <summary>b [B, R, L], detached; 0 where no other roll-out of the game visited the state.</summary>
    public static Tensor Baseline(Rollout rollout, Seat player)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rewards = rollout.Rewards(player);
        long batch = rewards.shape[0], samples = rewards.shape[1], length = rewards.shape[2];
        var discounts = rollout.Discounts();                                   // γ^t
        var weighted = rewards * discounts;
        var returns = weighted.flip([2]).cumsum(2).flip([2]) / discounts;      // G_t
        var horizon = discounts.flip([0]).cumsum(0).flip([0]) / discounts;     // h_t = Σ_{k<L−t} γ^k
        var states = rollout.States(player);
        long d = states.max().item<long>() + 1;
        var fit = zeros(batch, samples, d);
        var gram = zeros(batch, samples, d);
        fit.scatter_add_(2, states, returns * horizon);
        gram.scatter_add_(2, states, (horizon * horizon).expand_as(returns).contiguous());
        var othersFit = fit.sum(1, keepdim: true) - fit;
        var othersGram = gram.sum(1, keepdim: true) - gram;
        var value = where(othersGram > 0, othersFit / othersGram.clamp_min(1e-12), zeros_like(othersGram));
        return (discounts * horizon * value.gather(2, states)).MoveToOuterDisposeScope();
    }
}
