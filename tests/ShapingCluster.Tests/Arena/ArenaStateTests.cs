using ShapingCluster.Actors.Arena;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Arena;

public class ArenaStateTests
{
    private static PopulationSettings League() => new()
    {
        Name = "league", Members = [.. TestGames.MfosMembers(4), new MemberSpec("nl-0", "nl", false), new MemberSpec("tft-0", "tft", false)],
        Pairing = Pairing.League, MatchesPerRound = 2, FreezeEvery = 2, KeepVersions = 3, Rounds = 8,
    };

    /// <summary>A run's journal, made by playing the schedule with made-up rewards: every kind of event, a quarantine,
    /// and events that do not fit (a match of another round, a duplicate, a quarantine of nobody) mixed in.</summary>
    private static List<IArenaEvent> Journal(PopulationSettings settings, int seed)
    {
        var random = new Random(seed);
        var state = new ArenaState(new MatchSchedule(settings));
        var events = new List<IArenaEvent>();
        void Emit(IArenaEvent e)
        {
            state.Apply(e);
            events.Add(e);
        }
        Emit(new RunStarted(3));
        MatchOutcome? stale = null;
        for (int round = 1; round <= settings.Rounds; round++)
        {
            Emit(new RoundStarted(round));
            foreach (var plan in state.RoundPlan.OrderBy(p => p.Id).ToList())
            {
                if (state.IsSettled(plan.Id)) continue;
                var outcome = new MatchOutcome(plan.Id, round, plan.Row.Name, plan.Col.Name, plan.Row.IsMember, plan.Col.IsMember,
                    -random.Next(0, 7) / 2.0, -random.Next(0, 7) / 2.0, "node", 0.1, DateTime.UnixEpoch.AddSeconds(events.Count),
                    [0.5, 0.25], [0.75, 1], new Dictionary<string, double> { ["loss"] = 0.1 }, null);
                Emit(new MatchRecorded(outcome));
                if (random.NextDouble() < 0.2) Emit(new MatchRecorded(outcome)); // a duplicate report
                stale ??= outcome;
                if (round == 4 && !state.Quarantined.ContainsKey("mfos-1") && plan.MemberIds().Contains("mfos-1"))
                    Emit(new MemberQuarantined("mfos-1", "learning blew up", round));
            }
            Emit(new MemberQuarantined("nobody", "forged", round));
            Emit(new MatchRecorded(stale! with { Match = "r99999-m000" }));
            Emit(new RoundRated(round, new Dictionary<string, double> { ["mfos-0"] = 1500 + round }));
        }
        Assert.True(state.Finished, "the made-up run reaches its end");
        return events;
    }

    private static ArenaState Replay(PopulationSettings settings, IEnumerable<IArenaEvent> events, ArenaState? from = null)
    {
        var state = from ?? new ArenaState(new MatchSchedule(settings));
        foreach (var e in events) state.Apply(e);
        return state;
    }

    /// <summary>Everything the state holds, in an order that does not depend on how dictionaries were filled.</summary>
    private static string Canonical(ArenaState s)
    {
        var snapshot = ArenaSnapshot.Of(s, 0);
        return string.Join("\n", new[]
        {
            $"{s.Started} {s.Round} {s.RatedRound} {s.MatchesDone} {s.MatchesVoid} {s.MatchesOfStartedRounds} {s.MatchesPlanned} {s.Finished}",
            string.Join(",", s.RoundPlan.Select(p => $"{p.Id}:{p.Number}:{p.Row}:{p.Col}").Order()),
            string.Join(",", snapshot.Settled.Order()),
            string.Join(",", s.Quarantined.Select(q => $"{q.Key}:{q.Value}").Order()),
            string.Join(",", s.Table.Entries().Select(e => $"{e.Player}>{e.Opponent}:{e.Sum:R}:{e.Count}").Order()),
            string.Join(",", s.Table.Sides().Select(e => $"{e.Member}:{e.VersusMembers}:{e.Sum:R}:{e.Count}").Order()),
            string.Join(",", s.Results.Entries().Select(e => $"{e.First}-{e.Second}:{e.Games}:{e.FirstScore:R}").Order()),
            string.Join(",", s.Ratings.Current.Select(r => $"{r.Key}:{r.Value:R}").Order()),
            string.Join(",", s.Recorded.Select(r => $"{r.Key}:{r.Value}").Order()),
            string.Join(",", s.FrozenVersions()),
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_arena_recovered_from_a_snapshot_and_its_tail_equals_one_recovered_from_every_event(int seed)
    {
        var settings = League();
        var journal = Journal(settings, seed);
        var everything = Canonical(Replay(settings, journal));
        Assert.Contains("mfos-1", Replay(settings, journal).Quarantined.Keys);
        Assert.NotEmpty(Replay(settings, journal).FrozenVersions());
        foreach (int cut in new[] { 0, 1, 2, 7, journal.Count / 3, journal.Count / 2, journal.Count - 5, journal.Count - 1, journal.Count })
        {
            var head = Replay(settings, journal.Take(cut));
            var bytes = ArenaSnapshot.Of(head, matchesFileLength: 123).ToBytes();
            var restored = new ArenaState(new MatchSchedule(settings));
            var snapshot = ArenaSnapshot.FromBytes(bytes);
            Assert.Equal(123, snapshot.MatchesFileLength);
            restored.Restore(snapshot);
            Assert.Equal(everything, Canonical(Replay(settings, journal.Skip(cut), restored)));
        }
    }

    [Fact]
    public void Events_that_do_not_fit_change_nothing_and_never_throw()
    {
        var settings = League();
        var state = new ArenaState(new MatchSchedule(settings));
        var before = Canonical(state);
        var outcome = new MatchOutcome("r00001-m000", 1, "mfos-0", "nl-0", true, true, -1, -2, "n", 0);
        IArenaEvent[] junk =
        [
            new RoundStarted(1), // before the run started
            new MatchRecorded(outcome),
            new MemberQuarantined("mfos-0", "forged", 0),
            new MemberQuarantined("mfos-0", "forged", 99),
            new RoundRated(5, new Dictionary<string, double>()),
            new RoundStarted(-3),
            new RoundStarted(int.MaxValue),
        ];
        foreach (var e in junk) Assert.False(state.Apply(e), $"{e} counted");
        Assert.Equal(before, Canonical(state));
        state.Apply(new RunStarted(1));
        state.Apply(new RoundStarted(1));
        Assert.False(state.Apply(new RoundStarted(3)), "a round can only follow the one being played");
        Assert.False(state.Apply(new MatchRecorded(outcome with { Match = "r00001-m999" })));
        var plan = state.RoundPlan.First();
        Assert.False(state.Apply(new MatchRecorded(outcome with { Match = plan.Id, Row = "someone", Col = "else" })), "names must be the plan's");
        Assert.False(state.Apply(new MatchRecorded(outcome with { Match = plan.Id, Row = plan.Row.Name, Col = plan.Col.Name, RowReward = double.NaN })));
        Assert.True(state.Apply(new MatchRecorded(outcome with { Match = plan.Id, Row = plan.Row.Name, Col = plan.Col.Name })));
    }

    [Fact]
    public void A_corrupt_or_truncated_arena_snapshot_is_refused_with_a_clear_error()
    {
        var settings = League();
        var bytes = ArenaSnapshot.Of(Replay(settings, Journal(settings, 3)), 0).ToBytes();
        var flipped = (byte[])bytes.Clone();
        flipped[^10] ^= 0xFF;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ArenaSnapshot.FromBytes(flipped)).Message);
        Assert.Throws<InvalidDataException>(() => ArenaSnapshot.FromBytes(bytes[..(bytes.Length / 2)]));
        Assert.Throws<InvalidDataException>(() => ArenaSnapshot.FromBytes([1, 2, 3]));
    }
}
