namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>
/// A league with frozen past versions (AlphaStar): each round every member that learns across matches plays
/// <see cref="PopulationSettings.MatchesPerRound"/> matches, each opponent drawn by
/// <see cref="PopulationSettings.Weighting"/> from a pool of the other members and the frozen versions (its own
/// included). A frozen version, "mfos-3@1200", is member mfos-3's state after its 1,200th learned match: immutable,
/// it plays like a member that never learns.
/// </summary>
public sealed class LeaguePairing : IPairing
{
    public List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random)
    {
        var pairs = new List<(SeatSpec, SeatSpec)>();
        var pool = new OpponentPool(inputs.Active.Select(m => m.Id).Concat(inputs.FrozenVersions).ToList(), inputs.Results, inputs.Settings.Weighting);
        foreach (var member in inputs.Active.Where(m => m.LearnsAcrossMatches).Select(m => m.Id))
            foreach (var opponent in pool.Draws(member, inputs.Settings.MatchesPerRound, random))
                pairs.Add(Seating.ByDraw(member, opponent, random));
        return pairs;
    }

    public int Count(int round, RoundInputs inputs, Random random)
    {
        int learners = inputs.Active.Count(m => m.LearnsAcrossMatches);
        bool anyOpponent = inputs.Active.Count > 1 || inputs.FrozenVersions.Count > 0;
        return anyOpponent ? learners * inputs.Settings.MatchesPerRound : 0;
    }
}
