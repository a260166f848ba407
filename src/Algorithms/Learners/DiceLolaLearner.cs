using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// LOLA-DiCE (Foerster et al. 2018): simulate K look-ahead steps of the opponent, each a DiCE gradient step of size
/// η on fresh roll-outs, keeping the graph so that the learner's own DiCE gradient (step lr) on roll-outs against
/// the looked-ahead opponent flows through the opponent's learning. With the opponent model the look-ahead
/// starts from the fit of the opponent's observed actions.
/// </summary>
public sealed class DiceLolaLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly SampledGame _game = new(game);

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        PolicyGuard.CheckFinite(own, name);
        if (settings.LookaheadSteps < 0) throw new ArgumentException($"{name}: lookahead-steps must be ≥ 0");
        using var scope = NewDisposeScope();
        var other = seat.Other();
        var theta = own.detach().clone().requires_grad_(true);
        Tensor start = opponent.detach();
        if (settings.OpponentModel)
        {
            using var observed = Seating.Play(_game, theta.detach(), opponent.detach(), seat, settings, generator);
            start = OpponentModel.Fit(observed, other, game.PolicySize, settings.OpponentModelPrior);
        }
        var lookahead = start.clone().requires_grad_(true);
        var imagined = lookahead;
        for (int k = 0; k < settings.LookaheadSteps; k++)
        {
            var rollout = Seating.Play(_game, theta, imagined, seat, settings, generator);
            var objective = PolicyGradient.Dice(rollout.LogProbs(other), rollout.LogProbs(seat), rollout.Rewards(other), rollout.Discounts());
            imagined = imagined + settings.LookaheadRate * Autodiff.Grad(objective, [imagined], createGraph: true)[0];
        }
        var final = Seating.Play(_game, theta, imagined, seat, settings, generator);
        var ownObjective = PolicyGradient.Dice(final.LogProbs(seat), final.LogProbs(other), final.Rewards(seat), final.Discounts());
        var gradient = Autodiff.Grad(ownObjective, [theta])[0];
        return (own.detach() + settings.LearningRate * gradient).MoveToOuterDisposeScope();
    }
}
