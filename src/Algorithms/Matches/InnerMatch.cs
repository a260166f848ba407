using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// Two inner learners at a batch of games for a number of steps. Each step both sides are valued exactly at their
/// current policies (the reward recorded for that step), then both learn simultaneously from the same pre-step
/// policies. The reported reward of a side is the mean over steps and games of its per-step reward
/// (discounted return × the game's reward scale), as the reference's non-M-FOS runs report it.
/// </summary>
public sealed class InnerMatch(MatrixGame game, IInnerLearner row, IInnerLearner col)
{
    private readonly ExactValueKernel _kernel = new(game);

    public MatchResult Play(int batch, int steps, long seed, Action<int, double, double>? onStep = null)
    {
        if (batch < 1) throw new ArgumentException($"batch must be ≥ 1, got {batch}");
        if (steps < 1) throw new ArgumentException($"steps must be ≥ 1, got {steps}");
        using var generator = new Generator((ulong)seed);
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var match = NewDisposeScope();
        var rowPolicy = row.InitialPolicy(batch, generator);
        var colPolicy = col.InitialPolicy(batch, generator);
        double rowTotal = 0, colTotal = 0;
        var rowCurve = new double[steps];
        var colCurve = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            using var step = NewDisposeScope();
            var values = _kernel.Evaluate(PolicyTensors.ToArray(rowPolicy), PolicyTensors.ToArray(colPolicy), batch);
            rowCurve[t] = values.Value(Seat.Row).Average() * game.RewardScale;
            colCurve[t] = values.Value(Seat.Col).Average() * game.RewardScale;
            rowTotal += rowCurve[t];
            colTotal += colCurve[t];
            onStep?.Invoke(t, rowCurve[t], colCurve[t]);
            var nextRow = row.Step(rowPolicy, colPolicy, Seat.Row, generator);
            var nextCol = col.Step(colPolicy, rowPolicy, Seat.Col, generator);
            PolicyGuard.CheckFinite(nextRow, $"row learner '{row.Name}'");
            PolicyGuard.CheckFinite(nextCol, $"col learner '{col.Name}'");
            rowPolicy.Dispose();
            colPolicy.Dispose();
            rowPolicy = nextRow.MoveToOuterDisposeScope();
            colPolicy = nextCol.MoveToOuterDisposeScope();
        }
        return new MatchResult(game.Name, batch, steps, seed,
            new SideResult(row.Name, rowTotal / steps, rowCurve), new SideResult(col.Name, colTotal / steps, colCurve),
            PolicyTensors.ToArray(rowPolicy), PolicyTensors.ToArray(colPolicy));
    }
}
