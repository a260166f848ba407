using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// Keeps the score of one match: values each step's joint policy exactly (per-game discounted return × the game's
/// reward scale) and records each side's mean reward per step and how cooperatively each side played. It checks what players send, so a player that
/// returns the wrong shape or non-finite logits fails the match with a message naming it. No tensors: it runs
/// wherever the match is driven.
/// </summary>
public sealed class MatchReferee(MatrixGame game, int batch, int steps)
{
    private readonly ExactValueKernel _kernel = new(game);
    private readonly List<double> _rowCurve = [], _colCurve = [];
    private readonly CooperationTally _rowCooperation = new(batch, game.PolicySize), _colCooperation = new(batch, game.PolicySize);

    public MatrixGame Game => game;
    public int Batch => batch;
    public int Steps => steps;
    public int StepsPlayed => _rowCurve.Count;
    public bool Over => StepsPlayed >= steps;

    /// <summary>Values one step; returns the per-game rewards [B] of the row and column player.</summary>
    public (float[] Row, float[] Col) Value(float[] row, float[] col, string rowName, string colName)
    {
        if (Over) throw new InvalidOperationException($"the match already played its {steps} steps");
        Check(row, rowName);
        Check(col, colName);
        var (rowValue, colValue) = _kernel.Values(row, col, batch);
        _rowCooperation.Add(row);
        _colCooperation.Add(col);
        var rowReward = Scaled(rowValue);
        var colReward = Scaled(colValue);
        _rowCurve.Add(rowReward.Average());
        _colCurve.Add(colReward.Average());
        return (rowReward, colReward);
    }

    /// <summary>Checks a policy a player sent: [B, d] logits, all finite.</summary>
    public void Check(float[] policy, string player)
    {
        if (policy.Length != batch * game.PolicySize)
            throw new ArgumentException($"player '{player}' sent {policy.Length} logits, the match needs {batch} × {game.PolicySize}");
        int i = FiniteScan.IndexOfNonFinite(policy);
        if (i >= 0) throw new ArithmeticException($"player '{player}' sent a non-finite logit ({policy[i]}) in game {i / game.PolicySize}");
    }

    public IReadOnlyList<double> RowCurve => _rowCurve;
    public IReadOnlyList<double> ColCurve => _colCurve;
    /// <summary>Mean P(C) per logit of the policies each side was valued with (steps 1..T).</summary>
    public double[] RowCooperation => _rowCooperation.Means();
    public double[] ColCooperation => _colCooperation.Means();
    public double RowMean => _rowCurve.Count == 0 ? double.NaN : _rowCurve.Average();
    public double ColMean => _colCurve.Count == 0 ? double.NaN : _colCurve.Average();

    private float[] Scaled(float[] values)
    {
        float scale = (float)game.RewardScale;
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i] * scale;
        return result;
    }
}
