using ShapingCluster.Algorithms.Members;

namespace ShapingCluster.Algorithms.Training;

/// <summary>
/// What one training episode did: its number (1-based), λ, whom the trained member played ("nl", "lola", ... or
/// "self"), each side's mean reward per meta-step (side 0 is always trained member 0), side 0's mean inner-policy
/// P(C) per logit (start, CC, CD, DC, DD), what each trained member's learning reported (one per member that
/// learned this episode), and the time spent playing and learning.
/// </summary>
public sealed record EpisodeRecord(int Episode, double Lambda, string Opponent, string[] Sides, double[] Rewards,
    double[] Cooperation, IReadOnlyList<LearnReport> Learning, double RolloutSeconds, double UpdateSeconds);
