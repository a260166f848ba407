using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// NL: gradient ascent on its own exact discounted return, the opponent held fixed (θ ← θ + lr ∇θ V_own).
/// With <see cref="LearnerSettings.InitialLogits"/> it starts every game from that vector (M-MAML).
/// </summary>
public sealed class NaiveLearner(string name, MatrixGame game, LearnerSettings settings) : IInnerLearner
{
    private readonly ExactValueKernel _kernel = new(game);

    public string Name => name;

    public Tensor InitialPolicy(int batch, Generator generator) => InitialPolicies.Draw(game, settings, batch, generator);

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        var (x, y, batch) = ExactStepInputs.Read(game, own, opponent, name);
        var eval = seat == Seat.Row ? _kernel.Evaluate(x, y, batch) : _kernel.Evaluate(y, x, batch);
        var gradient = eval.Gradient(seat, seat);
        float lr = (float)settings.LearningRate;
        for (int i = 0; i < x.Length; i++) x[i] += lr * gradient[i];
        return PolicyTensors.FromArray(x, batch, game.PolicySize);
    }
}
