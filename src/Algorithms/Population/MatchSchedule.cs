using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population.Pairings;

namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Who plays whom, planned one round at a time from (run seed, round) and what the round may look at
/// (<see cref="RoundInputs"/>: the members still in the schedule, the results so far, the frozen versions), so every
/// node and every restart that plans round r from the same journal gets the same matches. Match numbers (which seed
/// the players' generators) are round × 10⁶ + index, unique over the run.
/// </summary>
public sealed class MatchSchedule(PopulationSettings settings)
{
    /// <summary>Stream of a round's draws (seats, shuffles, opponents).</summary>
    private const long RoundStream = 77;

    public PopulationSettings Settings { get; } = settings.Validated();

    private IPairing Pairing { get; } = settings.Pairing switch
    {
        Population.Pairing.SelfPlay => new SelfPlayPairing(),
        Population.Pairing.RoundRobin => new RoundRobinPairing(),
        Population.Pairing.Fixed => new FixedPairing(),
        Population.Pairing.Pfsp => new PfspPairing(),
        _ => new LeaguePairing(),
    };

    public double Lambda(int round) => Settings.Pairing == Population.Pairing.SelfPlay ? Settings.Lambda.At(round) : double.NaN;

    /// <summary>The matches of <paramref name="round"/> (all members, no results yet, when no inputs are given).</summary>
    public IReadOnlyList<MatchPlan> Round(int round, RoundInputs? inputs = null)
    {
        CheckRound(round);
        var pairs = Pairing.Pairs(round, inputs ?? RoundInputs.Fresh(Settings), RandomOf(round));
        if (pairs.Count >= 1_000_000) throw new ArgumentException($"round {round} would have {pairs.Count} matches; a round holds fewer than 10⁶");
        long first = round * 1_000_000L;
        return pairs.Select((p, i) => new MatchPlan($"r{round:D5}-m{i:D3}", first + i, round, p.Row, p.Col)).ToList();
    }

    /// <summary>How many matches <paramref name="round"/> has, without planning it.</summary>
    public int RoundSize(int round, RoundInputs? inputs = null)
    {
        CheckRound(round);
        return Pairing.Count(round, inputs ?? RoundInputs.Fresh(Settings), RandomOf(round));
    }

    /// <summary>Matches planned over the whole run if no member is quarantined.</summary>
    public long TotalMatches()
    {
        long total = 0;
        for (int r = 1; r <= Settings.Rounds; r++) total += RoundSize(r);
        return total;
    }

    private Random RandomOf(int round) => new((int)(Seeds.Derive(Settings.Seed, round, RoundStream) & 0x7fffffff));

    private void CheckRound(int round)
    {
        if (round < 1 || round > Settings.Rounds) throw new ArgumentOutOfRangeException(nameof(round), $"rounds run from 1 to {Settings.Rounds}");
    }
}
