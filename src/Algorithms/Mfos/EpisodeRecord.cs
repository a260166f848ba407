namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// What one training episode did: its number (1-based), λ, whom M-FOS played ("nl", "lola", ... or "self"), each
/// side's mean reward per meta-step (side 0 is always an M-FOS agent), M-FOS agent 0's mean inner-policy P(C) per
/// logit (start, CC, CD, DC, DD), and the time spent playing and learning.
/// </summary>
public sealed record EpisodeRecord(int Episode, double Lambda, string Opponent, string[] Sides, double[] Rewards,
    double[] Cooperation, double RolloutSeconds, double UpdateSeconds);
