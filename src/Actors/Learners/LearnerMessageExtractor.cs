using Akka.Cluster.Sharding;

namespace ShapingCluster.Actors.Learners;

/// <summary>Routes learner commands to the entity named by their member id. The shard count must never change
/// during a run (≈ 10 × the largest cluster we expect).</summary>
public sealed class LearnerMessageExtractor() : HashCodeMessageExtractor(MaxShards)
{
    public const int MaxShards = 64;

    public override string? EntityId(object message) => (message as LearnerActor.ICommand)?.Member;
}
