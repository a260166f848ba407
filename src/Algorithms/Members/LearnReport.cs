namespace ShapingCluster.Algorithms.Members;

/// <summary>What a member's learning from one match measured (PPO loss, TD error, ...), by name; empty for kinds
/// that do not learn across matches.</summary>
public sealed record LearnReport(IReadOnlyDictionary<string, double> Metrics)
{
    public static LearnReport None { get; } = new(new Dictionary<string, double>());
}
