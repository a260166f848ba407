namespace ShapingCluster.Algorithms.Matches;

/// <summary>One side of a finished match: player name, mean reward per step, the per-step mean reward, and the mean
/// P(C) per logit of the policies it played.</summary>
public sealed record SideResult(string Player, double Reward, double[] Curve, double[] Cooperation);

/// <summary>A finished match, with both sides' final policies ([B, d] row-major logits).</summary>
public sealed record MatchResult(string Game, int Batch, int Steps, SideResult Row, SideResult Col,
    float[] FinalRowPolicy, float[] FinalColPolicy)
{
    public static MatchResult Of(MatchReferee referee, string row, string col, float[] rowPolicy, float[] colPolicy) =>
        new(referee.Game.Name, referee.Batch, referee.Steps,
            new SideResult(row, referee.RowMean, [.. referee.RowCurve], referee.RowCooperation),
            new SideResult(col, referee.ColMean, [.. referee.ColCurve], referee.ColCooperation), rowPolicy, colPolicy);
}
