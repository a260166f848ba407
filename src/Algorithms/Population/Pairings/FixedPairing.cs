namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>Every member plays a fresh inner learner of the configured kind each round.</summary>
public sealed class FixedPairing : IPairing
{
    public List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random) =>
        inputs.Active.Select(m => Seating.VersusFresh(inputs.Settings.Opponent, m.Id)).ToList();

    public int Count(int round, RoundInputs inputs, Random random) => inputs.Active.Count;
}
