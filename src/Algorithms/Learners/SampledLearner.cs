using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// What the roll-out learners share: checked inputs, one dispose scope per step, a fresh differentiable copy of the
/// own policy, and the step θ ← θ + lr · direction. Each rule supplies only its estimated ascent direction.
/// </summary>
public abstract class SampledLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    protected SampledGame Game { get; } = new(game);
    protected LearnerSettings Settings => settings;
    protected int PolicySize => game.PolicySize;

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        PolicyGuard.CheckFinite(own, name);
        using var scope = NewDisposeScope();
        var theta = own.detach().clone().requires_grad_(true);
        var direction = Direction(theta, opponent.detach(), seat, generator);
        return (own.detach() + settings.LearningRate * direction).MoveToOuterDisposeScope();
    }

    /// <summary>The estimated ascent direction for <paramref name="theta"/> (a leaf requiring gradients).</summary>
    protected abstract Tensor Direction(Tensor theta, Tensor opponent, Seat seat, Generator generator);

    protected Rollout Play(Tensor own, Tensor other, Seat seat, Generator generator) =>
        seat == Seat.Row
            ? Game.Play(own, other, settings.Rollouts, settings.RolloutLength, generator)
            : Game.Play(other, own, settings.Rollouts, settings.RolloutLength, generator);
}
