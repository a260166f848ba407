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
public sealed class DiceLolaLearner(string name, MatrixGame game, LearnerSettings settings)
    : SampledLearner(name, game, settings)
{
    protected override Tensor Direction(Tensor theta, Tensor opponent, Seat seat, Generator generator)
    {
        if (Settings.LookaheadSteps < 0) throw new ArgumentException($"{Name}: lookahead-steps must be ≥ 0");
        var other = seat.Other();
        Tensor start = opponent;
        if (Settings.OpponentModel)
        {
            using var observed = Play(theta.detach(), opponent, seat, generator);
            start = OpponentModel.Fit(observed, other, PolicySize, Settings.OpponentModelPrior);
        }
        var lookahead = start.clone().requires_grad_(true);
        var imagined = lookahead;
        for (int k = 0; k < Settings.LookaheadSteps; k++)
        {
            var rollout = Play(theta, imagined, seat, generator);
            var objective = DiceObjective.Of(rollout, other, Settings.Baseline);
            imagined = imagined + Settings.LookaheadRate * Autodiff.Grad(objective, [imagined], createGraph: true)[0];
        }
        var final = Play(theta, imagined, seat, generator);
        var ownObjective = DiceObjective.Of(final, seat, Settings.Baseline);
        return Autodiff.Grad(ownObjective, [theta])[0];
    }
}
