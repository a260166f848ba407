namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>
/// Prioritised fictitious self-play among the members: each round every member plays
/// <see cref="PopulationSettings.MatchesPerRound"/> matches against other members, each opponent drawn by
/// <see cref="PopulationSettings.Weighting"/> from the results of the rounds before.
/// </summary>
public sealed class PfspPairing : IPairing
{
    public List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random)
    {
        var ids = inputs.Active.Select(m => m.Id).ToList();
        var pairs = new List<(SeatSpec, SeatSpec)>(ids.Count * inputs.Settings.MatchesPerRound);
        if (ids.Count < 2) return pairs;
        var pool = new OpponentPool(ids, inputs.Results, inputs.Settings.Weighting);
        foreach (var member in ids)
            foreach (var opponent in pool.Draws(member, inputs.Settings.MatchesPerRound, random))
                pairs.Add(Seating.ByDraw(member, opponent, random));
        return pairs;
    }

    public int Count(int round, RoundInputs inputs, Random random) =>
        inputs.Active.Count < 2 ? 0 : inputs.Active.Count * inputs.Settings.MatchesPerRound;
}
