namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// The match loop as a plain function: both players begin, then every step both choose from the previous joint
/// policy, the referee values the new pair, and each player hears its reward with the next request. This is the
/// reference's step order (mfos.md §10) for every pairing: M-FOS vs an inner learner, M-FOS vs M-FOS, and inner
/// learners vs each other. The actor system drives the same referee with messages instead of calls.
/// </summary>
public static class Match
{
    /// <param name="cancellation">Checked before every step: a cancelled match throws
    /// <see cref="OperationCanceledException"/> and its players' state is whatever the steps so far made it.</param>
    public static MatchResult Play(MatchReferee referee, IMatchPlayer row, IMatchPlayer col, Action<int, double, double>? onStep = null,
        CancellationToken cancellation = default)
    {
        var rowPolicy = row.Begin();
        var colPolicy = col.Begin();
        referee.Check(rowPolicy, row.Name);
        referee.Check(colPolicy, col.Name);
        float[]? rowReward = null, colReward = null;
        while (!referee.Over)
        {
            cancellation.ThrowIfCancellationRequested();
            var nextRow = row.Choose(colPolicy, rowReward);
            var nextCol = col.Choose(rowPolicy, colReward);
            (rowReward, colReward) = referee.Value(nextRow, nextCol, row.Name, col.Name);
            (rowPolicy, colPolicy) = (nextRow, nextCol);
            onStep?.Invoke(referee.StepsPlayed, referee.RowCurve[^1], referee.ColCurve[^1]);
        }
        row.Finish(rowReward!);
        col.Finish(colReward!);
        return MatchResult.Of(referee, row.Name, col.Name, rowPolicy, colPolicy);
    }
}
