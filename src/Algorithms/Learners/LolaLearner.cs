using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Exact LOLA as the reference computes it (mfos.md §2.2): the learner assumes the opponent takes a naive step of
/// size η and ascends V_own + η (∇other V_own)·(∇other V_other) to first order, keeping both second-order terms:
/// θ ← θ + lr [∇own V_own + η (H(V_own)·∇other V_other + H(V_other)·∇other V_own)], H = ∂²/∂own∂other.
/// The mixed Hessian-vector products come from two forward-mode passes of the exact kernel.
/// </summary>
public sealed class LolaLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly ExactValueKernel _kernel = new(game);

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        var (x, y, batch) = ExactStepInputs.Read(game, own, opponent, name);
        var other = seat.Other();
        ExactEvaluation Evaluate(float[]? otherTangent) => (seat, otherTangent) switch
        {
            (Seat.Row, null) => _kernel.Evaluate(x, y, batch),
            (Seat.Col, null) => _kernel.Evaluate(y, x, batch),
            (Seat.Row, _) => _kernel.Evaluate(x, y, batch, colTangent: otherTangent),
            _ => _kernel.Evaluate(y, x, batch, rowTangent: otherTangent),
        };
        var plain = Evaluate(null);
        var ownGradient = plain.Gradient(seat, seat);
        // H(V_own)·∇other V_other: tangent of ∇own V_own along ∇other V_other.
        var shapeOwn = Evaluate(plain.Gradient(other, other)).TangentOfGradient(seat, seat);
        // H(V_other)·∇other V_own: tangent of ∇own V_other along ∇other V_own.
        var shapeOther = Evaluate(plain.Gradient(seat, other)).TangentOfGradient(other, seat);
        float lr = (float)settings.LearningRate, eta = (float)settings.LookaheadRate;
        for (int i = 0; i < x.Length; i++) x[i] += lr * (ownGradient[i] + eta * (shapeOwn[i] + shapeOther[i]));
        return PolicyTensors.FromArray(x, batch, game.PolicySize);
    }
}
