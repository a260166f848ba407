namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// One scheduled match: a unique id, its number (which seeds the players' generators, so a re-run is the same match),
/// its round, and who sits at each seat.
/// </summary>
public sealed record MatchPlan(string Id, long Number, int Round, SeatSpec Row, SeatSpec Col)
{
    public IEnumerable<string> MemberIds() => new[] { Row, Col }.Where(s => s.IsMember).Select(s => s.Name);
}

/// <summary>A seat: a population member (by id) or a fresh inner learner (by kind).</summary>
public sealed record SeatSpec(string Name, bool IsMember)
{
    public static SeatSpec OfMember(string id) => new(id, true);
    public static SeatSpec Fresh(string kind) => new(kind, false);
    public override string ToString() => Name;
}
