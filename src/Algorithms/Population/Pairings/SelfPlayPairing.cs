namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>
/// M-FOS self-play with λ annealed per round: every member that learns across matches plays a fresh inner learner
/// with probability λ(round) (its own draw, seeded by (seed, round, member)), every other member is paired at random
/// with another; one left over plays a fresh learner.
/// </summary>
public sealed class SelfPlayPairing : IPairing
{
    /// <summary>Member k's λ draw of a round uses stream FreshDrawStreams + k.</summary>
    private const long FreshDrawStreams = 77_000;

    public List<(SeatSpec Row, SeatSpec Col)> Pairs(int round, RoundInputs inputs, Random random)
    {
        var (fresh, toPair) = Split(round, inputs);
        var pairs = fresh.Select(m => Seating.VersusFresh(inputs.Settings.Opponent, m)).ToList();
        var shuffled = toPair.OrderBy(_ => random.Next()).ToList();
        for (int k = 0; k + 1 < shuffled.Count; k += 2) pairs.Add(Seating.ByDraw(shuffled[k], shuffled[k + 1], random));
        if (shuffled.Count % 2 == 1) pairs.Add(Seating.VersusFresh(inputs.Settings.Opponent, shuffled[^1]));
        return pairs;
    }

    public int Count(int round, RoundInputs inputs, Random random)
    {
        var (fresh, toPair) = Split(round, inputs);
        return fresh.Count + (toPair.Count + 1) / 2;
    }

    private static (List<string> Fresh, List<string> ToPair) Split(int round, RoundInputs inputs)
    {
        var settings = inputs.Settings;
        var fresh = new List<string>();
        var toPair = new List<string>();
        var index = settings.Members.Select((m, i) => (m.Id, i)).ToDictionary(x => x.Id, x => x.i);
        foreach (var m in inputs.Active)
        {
            if (m.LearnsAcrossMatches && settings.Lambda.PlaysFresh(settings.Seed, round, FreshDrawStreams + index[m.Id])) fresh.Add(m.Id);
            else toPair.Add(m.Id);
        }
        return (fresh, toPair);
    }
}
