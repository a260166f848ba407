namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>How a population is paired each round (one implementation per <see cref="Pairing"/>).</summary>
public interface IPairing
{
    /// <summary>Who plays whom in <paramref name="round"/>; every random choice from <paramref name="random"/>.</summary>
    List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random);

    /// <summary>How many matches the round has, without planning it (for the run's planned total).</summary>
    int Count(int round, RoundInputs inputs, Random random);
}
