using ShapingCluster.Algorithms.Games;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// NL: gradient ascent on its own exact discounted return, the opponent held fixed (θ ← θ + lr ∇θ V_own).
/// With <see cref="LearnerSettings.InitialLogits"/> it starts every game from that vector (M-MAML).
/// </summary>
public sealed class NaiveLearner(string name, MatrixGame game, LearnerSettings settings) : ExactLearner(name, game, settings)
{
    protected override float[] Direction(SeatedEvaluator evaluator) =>
        evaluator.Evaluate().Gradient(evaluator.Seat, evaluator.Seat);
}
