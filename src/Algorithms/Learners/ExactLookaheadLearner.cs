using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// LOLA-DiCE's rule on exact values (the reimplementation's ipd_exact.py): the opponent takes K exact gradient steps
/// of size η on its own return, and the learner ascends its exact return against the looked-ahead opponent,
/// differentiating through the K steps. It is what <see cref="DiceLolaLearner"/> estimates from roll-outs, so it
/// separates the rule's dynamics from the estimator's noise. Autograd through <see cref="ExactGame"/>: K + 1 nested
/// differentiations of the closed-form value.
/// </summary>
public sealed class ExactLookaheadLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly ExactGame _exact = new(game);

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        PolicyGuard.CheckFinite(own, name);
        if (settings.LookaheadSteps < 0) throw new ArgumentException($"{name}: lookahead-steps must be ≥ 0");
        using var scope = NewDisposeScope();
        var theta = own.detach().clone().requires_grad_(true);
        var imagined = opponent.detach().clone().requires_grad_(true);
        for (int k = 0; k < settings.LookaheadSteps; k++)
        {
            var opponentValue = Value(theta, imagined, seat, seat.Other());
            imagined = imagined + settings.LookaheadRate * Autodiff.Grad(opponentValue.sum(), [imagined], createGraph: true)[0];
        }
        var direction = Autodiff.Grad(Value(theta, imagined, seat, seat).sum(), [theta])[0];
        return (own.detach() + settings.LearningRate * direction).MoveToOuterDisposeScope();
    }

    /// <summary>The discounted returns [B] of <paramref name="player"/> with the learner's policy at its seat.</summary>
    private Tensor Value(Tensor theta, Tensor imagined, Seat seat, Seat player)
    {
        var (row, col) = seat == Seat.Row ? _exact.Returns(theta, imagined) : _exact.Returns(imagined, theta);
        return player == Seat.Row ? row : col;
    }
}
