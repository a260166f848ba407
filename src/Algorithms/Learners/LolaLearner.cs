using ShapingCluster.Algorithms.Games;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Exact LOLA as the reference computes it (mfos.md §2.2): the learner assumes the opponent takes a naive step of
/// size η and ascends V_own + η (∇other V_own)·(∇other V_other) to first order, keeping both second-order terms:
/// θ ← θ + lr [∇own V_own + η (H(V_own)·∇other V_other + H(V_other)·∇other V_own)], H = ∂²/∂own∂other.
/// The mixed Hessian-vector products come from two forward-mode passes of the exact kernel.
/// </summary>
public sealed class LolaLearner(string name, MatrixGame game, LearnerSettings settings) : ExactLearner(name, game, settings)
{
    protected override float[] Direction(SeatedEvaluator evaluator)
    {
        var seat = evaluator.Seat;
        var other = seat.Other();
        var plain = evaluator.Evaluate();
        var direction = plain.Gradient(seat, seat);
        // H(V_own)·∇other V_other: tangent of ∇own V_own along ∇other V_other.
        var shapeOwn = evaluator.Evaluate(plain.Gradient(other, other)).TangentOfGradient(seat, seat);
        // H(V_other)·∇other V_own: tangent of ∇own V_other along ∇other V_own.
        var shapeOther = evaluator.Evaluate(plain.Gradient(seat, other)).TangentOfGradient(other, seat);
        float eta = (float)Settings.LookaheadRate;
        for (int i = 0; i < direction.Length; i++) direction[i] += eta * (shapeOwn[i] + shapeOther[i]);
        return direction;
    }
}
