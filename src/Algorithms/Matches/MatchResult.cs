namespace ShapingCluster.Algorithms.Matches;

/// <summary>One side of a finished match: learner name, mean reward per step, and the per-step mean reward.</summary>
public sealed record SideResult(string Learner, double Reward, double[] Curve);

/// <summary>A finished inner match, with both sides' final policies ([B, d] row-major logits).</summary>
public sealed record MatchResult(string Game, int Batch, int Steps, long Seed, SideResult Row, SideResult Col,
    float[] FinalRowPolicy, float[] FinalColPolicy);
