using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// LOLA-PG (Foerster et al. 2018, eq. 4.2): θ ← θ + lr [∇own ER_own + η (∇other ER_own)ᵀ ∇own∇other ER_other],
/// every term a score-function estimate on one set of roll-outs. The mixed term uses
/// ∇own∇other ER_other · v = E[Σ_t γ^t r_other,t (Σ_{k≤t} ∇own log π_own,k)(Σ_{k≤t} ∇other log π_other,k · v)].
/// With the opponent model the opponent's parameters are the fit of its observed actions, not its true ones.
/// </summary>
public sealed class PolicyGradientLolaLearner(string name, MatrixGame game, LearnerSettings settings)
    : SampledLearner(name, game, settings)
{
    protected override Tensor Direction(Tensor theta, Tensor opponent, Seat seat, Generator generator)
    {
        var other = seat.Other();
        using var rollout = Play(theta, opponent, seat, generator);
        var believed = Settings.OpponentModel
            ? OpponentModel.Fit(rollout, other, PolicySize, Settings.OpponentModelPrior)
            : opponent;
        var discounts = rollout.Discounts();
        var ownSurrogate = PolicyGradient.Reinforce(rollout.LogProbs(seat), rollout.Rewards(seat), discounts);

        // v = ∇other ER_own, estimated with the opponent's score under the believed parameters. Rewards are centred
        // by the game's other roll-outs (as the official code centres them by the batch mean): the centring terms
        // have zero expectation, so the estimates stay unbiased with a fraction of the variance.
        var otherStates = rollout.States(other);
        var otherScore = PolicyGradient.ScoreOfLogit(rollout.Actions(other), otherStates, believed);
        var ownToGo = (rollout.Rewards(seat) * discounts).flip([2]).cumsum(2).flip([2]);
        var ownAdvantage = ownToGo - PolicyGradient.LeaveOneOutMean(ownToGo);
        var v = zeros(otherScore.shape[0], otherScore.shape[1], PolicySize)
            .scatter_add_(2, otherStates, ownAdvantage * otherScore).mean([1]); // [B, d]

        // Shaping: ∇own of E[Σ_t γ^t r_other,t · (Σ_{k≤t} log π_own,k) · (Σ_{k≤t} score_other,k · v_{s_k})].
        var projected = (otherScore * v.unsqueeze(1).expand(-1, otherScore.shape[1], -1).gather(2, otherStates)).cumsum(2);
        var ownDependencies = rollout.LogProbs(seat).cumsum(2);
        var otherWeighted = rollout.Rewards(other) * discounts;
        var otherCentred = otherWeighted - PolicyGradient.LeaveOneOutMean(otherWeighted);
        var shapingSurrogate = (otherCentred * projected.detach() * ownDependencies).sum(2).mean([1]).sum();
        // Both terms are linear in their surrogates, so one gradient call gives ∇own ER_own + η · shaping.
        return Autodiff.Grad(ownSurrogate + (float)Settings.LookaheadRate * shapingSurrogate, [theta])[0];
    }
}
