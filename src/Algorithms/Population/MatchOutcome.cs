namespace ShapingCluster.Algorithms.Population;

/// <summary>A finished match as the scoreboard records it: each seat's mean reward per meta-step and mean P(C) per
/// logit of the policies it played, what each member's learning reported (null for seats that did not learn), the
/// node that drove the match, how long it took, and when it finished (UTC).</summary>
public sealed record MatchOutcome(string Match, int Round, string Row, string Col, bool RowIsMember, bool ColIsMember,
    double RowReward, double ColReward, string Node, double Seconds, DateTime Recorded = default,
    double[]? RowCooperation = null, double[]? ColCooperation = null,
    IReadOnlyDictionary<string, double>? RowLearning = null, IReadOnlyDictionary<string, double>? ColLearning = null);
