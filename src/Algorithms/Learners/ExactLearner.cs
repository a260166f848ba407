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
        int batch = (int)own.shape[0];
        return NativeTensors.Of(Step(PolicyTensors.ToArray(own), PolicyTensors.ToArray(opponent), batch, seat, generator), batch, game.PolicySize);
    }

    /// <summary>The step on arrays: the kernel works on arrays, so the match loop's arrays go straight in.</summary>
    public float[] Step(float[] own, float[] opponent, int batch, Seat seat, Generator generator)
    {
        if (own.Length != batch * game.PolicySize || opponent.Length != own.Length)
            throw new ArgumentException($"game '{game.Name}': policies must be [{batch}, {game.PolicySize}] logits");
        PolicyGuard.CheckFinite(own, name);
        PolicyGuard.CheckFinite(opponent, $"{name}'s opponent");
        var direction = Direction(new SeatedEvaluator(_kernel, own, opponent, batch, seat));
        float lr = (float)settings.LearningRate;
        var next = new float[own.Length];
        for (int i = 0; i < next.Length; i++) next[i] = own[i] + lr * direction[i];
        return next;
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
