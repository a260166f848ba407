namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>What a pairing may look at when it plans a round: the settings, the members still in the schedule, the
/// results so far (PFSP weighs opponents by them) and the frozen versions playable as opponents (league). A round is
/// planned once, when the previous one is settled, so it sees every earlier round's results and none of its own.</summary>
public sealed record RoundInputs(PopulationSettings Settings, IReadOnlyList<MemberSpec> Active, RatingTally Results,
    IReadOnlyList<string> FrozenVersions)
{
    public static RoundInputs Fresh(PopulationSettings settings) => new(settings, settings.Members, new RatingTally(), []);
}
