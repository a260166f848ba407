namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>Every pair of members plays once each round.</summary>
public sealed class RoundRobinPairing : IPairing
{
    public List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random)
    {
        var members = inputs.Active;
        var pairs = new List<(SeatSpec, SeatSpec)>(members.Count * (members.Count - 1) / 2);
        for (int i = 0; i < members.Count; i++)
        for (int j = i + 1; j < members.Count; j++)
            pairs.Add(Seating.ByDraw(members[i].Id, members[j].Id, random));
        return pairs;
    }

    public int Count(int round, RoundInputs inputs, Random random) => inputs.Active.Count * (inputs.Active.Count - 1) / 2;
}
