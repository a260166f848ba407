using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Who plays whom in each round, drawn from (run seed, round) alone, so every node and every restart computes the
/// same schedule and the number of matches of a run is known before it starts. In a match against fresh inner
/// learners the member sits at the column seat (the reference's M-FOS seat); two members get their seats by draw.
/// </summary>
public sealed class MatchSchedule(PopulationSettings settings)
{
    /// <summary>Stream of a round's seating and shuffling; member k's λ draw of the round uses stream
    /// <see cref="FreshDrawStreams"/> + k.</summary>
    private const long RoundStream = 77, FreshDrawStreams = 77_000;

    public PopulationSettings Settings { get; } = settings.Validated();

    public double Lambda(int round) => Settings.Pairing == Pairing.SelfPlay ? Settings.Lambda.At(round) : double.NaN;

    /// <summary>The matches of <paramref name="round"/> among the members not in <paramref name="excluded"/>
    /// (quarantined members leave the schedule from the round after they were quarantined).</summary>
    public IReadOnlyList<MatchPlan> Round(int round, IReadOnlySet<string>? excluded = null)
    {
        if (round < 1 || round > Settings.Rounds) throw new ArgumentOutOfRangeException(nameof(round), $"rounds run from 1 to {Settings.Rounds}");
        var random = new Random((int)(Seeds.Derive(Settings.Seed, round, RoundStream) & 0x7fffffff));
        var pairs = new List<(SeatSpec Row, SeatSpec Col)>();
        var members = excluded is null || excluded.Count == 0 ? Settings.Members : Settings.Members.Where(m => !excluded.Contains(m.Id)).ToList();
        switch (Settings.Pairing)
        {
            case Pairing.Fixed:
                pairs.AddRange(members.Select(m => (SeatSpec.Fresh(Settings.Opponent), SeatSpec.OfMember(m.Id))));
                break;
            case Pairing.RoundRobin:
                for (int i = 0; i < members.Count; i++)
                for (int j = i + 1; j < members.Count; j++)
                    pairs.Add(Seated(members[i].Id, members[j].Id, random));
                break;
            case Pairing.SelfPlay:
                var toPair = new List<string>();
                foreach (var m in members)
                {
                    int index = Settings.Members.ToList().IndexOf(m);
                    if (m.LearnsAcrossMatches && Settings.Lambda.PlaysFresh(Settings.Seed, round, FreshDrawStreams + index))
                        pairs.Add((SeatSpec.Fresh(Settings.Opponent), SeatSpec.OfMember(m.Id)));
                    else toPair.Add(m.Id);
                }
                var shuffled = toPair.OrderBy(_ => random.Next()).ToList();
                for (int k = 0; k + 1 < shuffled.Count; k += 2) pairs.Add(Seated(shuffled[k], shuffled[k + 1], random));
                if (shuffled.Count % 2 == 1) pairs.Add((SeatSpec.Fresh(Settings.Opponent), SeatSpec.OfMember(shuffled[^1])));
                break;
        }
        long first = FirstNumber(round);
        return pairs.Select((p, i) => new MatchPlan($"r{round:D5}-m{i:D3}", first + i, round, p.Row, p.Col)).ToList();
    }

    /// <summary>Matches planned over the whole run.</summary>
    public int TotalMatches() => Enumerable.Range(1, Settings.Rounds).Sum(r => Round(r).Count);

    /// <summary>Match numbers are unique across the run: round r uses r × 10⁶ + index.</summary>
    private static long FirstNumber(int round) => round * 1_000_000L;

    private static (SeatSpec, SeatSpec) Seated(string a, string b, Random random) =>
        random.Next(2) == 0 ? (SeatSpec.OfMember(a), SeatSpec.OfMember(b)) : (SeatSpec.OfMember(b), SeatSpec.OfMember(a));
}
