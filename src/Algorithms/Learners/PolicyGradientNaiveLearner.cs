using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>NL-PG: the naive rule with the gradient estimated by REINFORCE on roll-outs of the current policies.</summary>
public sealed class PolicyGradientNaiveLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly SampledGame _game = new(game);

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        PolicyGuard.CheckFinite(own, name);
        using var scope = NewDisposeScope();
        var theta = own.detach().clone().requires_grad_(true);
        using var rollout = Seating.Play(_game, theta, opponent.detach(), seat, settings, generator);
        var surrogate = PolicyGradient.Reinforce(rollout.LogProbs(seat), rollout.Rewards(seat), rollout.Discounts());
        var gradient = Autodiff.Grad(surrogate, [theta])[0];
        return (own.detach() + settings.LearningRate * gradient).MoveToOuterDisposeScope();
    }
}
