using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// TD learning of Û on joint states (reconstruction, meva.md §3 and §5): from each state x both players take the
/// greedy, clean MeVa step under the target network Û⁻ (no exploration: a Q-learning-style target on exploratory
/// states), x' = x + α(∇̄f(x) + γ∇̄Û⁻(x)); the target per player is y_i = f_i(x') + γÛ⁻_i(x'), held fixed
/// (stop-gradient: x' and y are data, no derivative flows through them); the loss is the mean of (Û_i(x) − y_i)²
/// over players and states, in the network's normalised units (<see cref="MetaValue"/>); after each Adam step the
/// target network moves towards the online one (Polyak).
/// </summary>
public sealed class TemporalDifference(MatrixGame game, MevaSettings settings)
{
    private readonly ExactValueKernel _kernel = new(game);

    /// <summary>Both players' greedy step from joint states (rows, cols) [count, d] under <paramref name="model"/>.</summary>
    public (float[] Rows, float[] Cols) GreedySuccessor(MetaValue model, float[] rows, float[] cols, int count, float[] discounts)
    {
        var values = _kernel.Evaluate(rows, cols, count);
        var (correctionRow, correctionCol) = model.JointGradients(rows, cols, count, discounts);
        var factor = discounts.Select(g => model.CorrectionFactor(g)).ToArray();
        float alpha = (float)settings.LearningRate;
        int d = game.PolicySize;
        return (MevaStep.Apply(rows, values.Gradient(Seat.Row, Seat.Row), correctionRow, factor, d, alpha),
                MevaStep.Apply(cols, values.Gradient(Seat.Col, Seat.Col), correctionCol, factor, d, alpha));
    }

    /// <summary>The TD targets [2·count] (row players, then column players) in the network's units:
    /// [(1 − γ)·s·f_i(x') + γ·m·n⁻_i(x')] / m, i.e. y_i = f_i(x') + γU⁻_i(x') normalised as U is.</summary>
    public float[] Targets(MetaValue target, float[] rows, float[] cols, int count, float[] discounts)
    {
        var (nextRows, nextCols) = GreedySuccessor(target, rows, cols, count, discounts);
        var next = _kernel.Evaluate(nextRows, nextCols, count);
        float[] nextRow = next.Value(Seat.Row), nextCol = next.Value(Seat.Col);
        float[] bootstrap;
        using (var scope = NewDisposeScope())
        using (no_grad())
            bootstrap = Learners.PolicyTensors.ToArray(target.JointOutputs(nextRows, nextCols, count, discounts));
        double m = target.PayoffScale, s = game.RewardScale;
        var targets = new float[2 * count];
        for (int k = 0; k < count; k++)
        {
            double g = discounts[k];
            targets[k] = (float)(((1 - g) * s * nextRow[k] + g * m * bootstrap[k]) / m);
            targets[count + k] = (float)(((1 - g) * s * nextCol[k] + g * m * bootstrap[count + k]) / m);
        }
        return targets;
    }

    /// <summary>The TD loss of <paramref name="online"/> against <paramref name="targets"/>, without learning.</summary>
    public double Loss(MetaValue online, float[] rows, float[] cols, int count, float[] discounts, float[] targets)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return (online.JointOutputs(rows, cols, count, discounts) - NativeTensors.Of(targets)).square().mean().item<float>();
    }

    /// <summary>One TD step on a minibatch; returns its loss before the step.</summary>
    public double Step(MetaValue online, MetaValue target, optim.Optimizer optimizer, float[] rows, float[] cols, int count, float[] discounts)
    {
        var targets = Targets(target, rows, cols, count, discounts);
        double loss;
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var error = (online.JointOutputs(rows, cols, count, discounts) - NativeTensors.Of(targets)).square().mean();
            error.backward();
            optimizer.step();
            loss = error.item<float>();
        }
        target.Network.SmoothTowards(online.Network, settings.TargetSmoothing);
        return loss;
    }
}
