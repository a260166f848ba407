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
    private readonly ExactGame _exact = new(game);

    public MatchResult Play(int batch, int steps, long seed, Action<int, double, double>? onStep = null)
    {
        if (batch < 1) throw new ArgumentException($"batch must be ≥ 1, got {batch}");
        if (steps < 1) throw new ArgumentException($"steps must be ≥ 1, got {steps}");
        using var generator = new Generator((ulong)seed);
        var rowPolicy = row.InitialPolicy(batch, generator);
        var colPolicy = col.InitialPolicy(batch, generator);
        double rowTotal = 0, colTotal = 0;
        var rowCurve = new double[steps];
        var colCurve = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var (rowReturn, colReturn) = _exact.Returns(rowPolicy, colPolicy);
                rowCurve[t] = rowReturn.mean().item<float>() * game.RewardScale;
                colCurve[t] = colReturn.mean().item<float>() * game.RewardScale;
            }
            rowTotal += rowCurve[t];
            colTotal += colCurve[t];
            onStep?.Invoke(t, rowCurve[t], colCurve[t]);
            var nextRow = row.Step(rowPolicy, colPolicy, Seat.Row, generator);
            var nextCol = col.Step(colPolicy, rowPolicy, Seat.Col, generator);
            rowPolicy.Dispose();
            colPolicy.Dispose();
            (rowPolicy, colPolicy) = (nextRow, nextCol);
            PolicyGuard.CheckFinite(rowPolicy, $"row learner '{row.Name}'");
            PolicyGuard.CheckFinite(colPolicy, $"col learner '{col.Name}'");
        }
        var result = new MatchResult(game.Name, batch, steps, seed,
            new SideResult(row.Name, rowTotal / steps, rowCurve), new SideResult(col.Name, colTotal / steps, colCurve),
            PolicyTensors.ToArray(rowPolicy), PolicyTensors.ToArray(colPolicy));
        rowPolicy.Dispose();
        colPolicy.Dispose();
        return result;
    }
}
