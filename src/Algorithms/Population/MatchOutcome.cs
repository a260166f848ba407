namespace ShapingCluster.Algorithms.Population;

/// <summary>A finished match as the scoreboard records it: each seat's mean reward per meta-step, the node that
/// drove the match, how long it took, and when it finished (UTC).</summary>
public sealed record MatchOutcome(string Match, int Round, string Row, string Col, bool RowIsMember, bool ColIsMember,
    double RowReward, double ColReward, string Node, double Seconds, DateTime Recorded = default);
