namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>Seats of a match between two members: by a fair draw, so neither seat's role (IMP: mismatcher or
/// matcher) goes to one member more often.</summary>
internal static class Seating
{
    public static (SeatSpec, SeatSpec) ByDraw(string a, string b, Random random) =>
        random.Next(2) == 0 ? (SeatSpec.OfMember(a), SeatSpec.OfMember(b)) : (SeatSpec.OfMember(b), SeatSpec.OfMember(a));

    /// <summary>Against a fresh inner learner the member takes the column seat, the reference's M-FOS seat.</summary>
    public static (SeatSpec, SeatSpec) VersusFresh(string kind, string member) => (SeatSpec.Fresh(kind), SeatSpec.OfMember(member));
}
