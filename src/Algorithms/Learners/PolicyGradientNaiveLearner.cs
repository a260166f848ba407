using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>NL-PG: the naive rule with the gradient estimated by REINFORCE on roll-outs of the current policies.</summary>
public sealed class PolicyGradientNaiveLearner(string name, MatrixGame game, LearnerSettings settings)
    : SampledLearner(name, game, settings)
{
    protected override Tensor Direction(Tensor theta, Tensor opponent, Seat seat, Generator generator)
    {
        using var rollout = Play(theta, opponent, seat, generator);
        var surrogate = PolicyGradient.Reinforce(rollout.LogProbs(seat), rollout.Rewards(seat), rollout.Discounts());
        return Autodiff.Grad(surrogate, [theta])[0];
    }
}
