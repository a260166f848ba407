using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// What the exact learners share: checked flat copies of both policies, the fused exact kernel, and the step
/// θ ← θ + lr · direction. Each rule supplies only its ascent direction from the kernel's evaluations.
/// </summary>
public abstract class ExactLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly ExactValueKernel _kernel = new(game);

    protected LearnerSettings Settings => settings;

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        var x = PolicyTensors.ToArray(own);
        var y = PolicyTensors.ToArray(opponent);
        PolicyGuard.CheckFinite(x, name);
        PolicyGuard.CheckFinite(y, $"{name}'s opponent");
        int batch = (int)own.shape[0];
        var direction = Direction(new SeatedEvaluator(_kernel, x, y, batch, seat));
        float lr = (float)settings.LearningRate;
        for (int i = 0; i < x.Length; i++) x[i] += lr * direction[i];
        return NativeTensors.Of(x, batch, game.PolicySize);
    }

    /// <summary>The ascent direction [B·d] (row-major) for the learner's own policy.</summary>
    protected abstract float[] Direction(SeatedEvaluator evaluator);

    /// <summary>Evaluates the kernel with the learner's own and the opponent's policies in their seats,
    /// optionally with a tangent on the opponent's policy.</summary>
    protected readonly record struct SeatedEvaluator(ExactValueKernel Kernel, float[] Own, float[] Opponent, int Batch, Seat Seat)
    {
        public ExactEvaluation Evaluate(float[]? opponentTangent = null) => (Seat, opponentTangent) switch
        {
            (Seat.Row, null) => Kernel.Evaluate(Own, Opponent, Batch),
            (Seat.Col, null) => Kernel.Evaluate(Opponent, Own, Batch),
            (Seat.Row, _) => Kernel.Evaluate(Own, Opponent, Batch, colTangent: opponentTangent),
            _ => Kernel.Evaluate(Opponent, Own, Batch, rowTangent: opponentTangent),
        };
    }
}
