using System.Diagnostics;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Algorithms.Population;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping bench arena`: the arena's own cost of recording a match, and its memory, as the matches recorded grow:
/// the state it folds its journal into (<see cref="ArenaState"/>), the matches.jsonl projection (appended in batches
/// of 1,000 with one fsync each) and snapshots as the arena takes them (every 1,000 events, fewer as the state grows:
/// <see cref="ArenaSnapshot.EventsUntilNext"/>), driven by made-up outcomes of a PFSP league of
/// stateless members: no actors, no learners, no journal, so the figures are the arena's part of a match only.
/// At each decade it reports the time per match over the last stretch, the managed heap after a full collection,
/// the snapshot's size, and the time to restore a state from it.
/// </summary>
internal static class BenchArena
{
    public static int Run(int members, long matches, int perRound)
    {
        if (members < 2 || matches < 1 || perRound < 1) throw new ArgumentException("--members must be ≥ 2, --matches and --per-round ≥ 1");
        long perRoundMatches = (long)members * perRound;
        int rounds = (int)Math.Min(int.MaxValue, (matches + perRoundMatches - 1) / perRoundMatches);
        var settings = new PopulationSettings
        {
            Name = "bench-arena", Members = Enumerable.Range(0, members).Select(i => new MemberSpec($"nl-{i}", "nl", false)).ToList(),
            Pairing = Pairing.Pfsp, MatchesPerRound = perRound, Rounds = rounds,
        };
        var directory = Directory.CreateTempSubdirectory("shaping-bench-arena-").FullName;
        try
        {
            var state = new ArenaState(new MatchSchedule(settings));
            var projection = new MatchesProjection(directory);
            state.Apply(new RunStarted(1));
            var random = new Random(1);
            var table = new Table().Title($"arena state + matches.jsonl + snapshots; PFSP league of {members} members, {perRound} matches each per round")
                .AddColumn(new TableColumn("matches recorded").RightAligned()).AddColumn(new TableColumn("µs per match (since the last row)").RightAligned())
                .AddColumn(new TableColumn("managed heap MB").RightAligned()).AddColumn(new TableColumn("snapshot KB").RightAligned())
                .AddColumn(new TableColumn("restore ms").RightAligned()).AddColumn(new TableColumn("pairs that met").RightAligned())
                .AddColumn(new TableColumn("µs: plan / record / line / snapshot").RightAligned());
            var plan = new Stopwatch();
            var record = new Stopwatch();
            var line = new Stopwatch();
            var snap = new Stopwatch();
            long done = 0, next = 1000, sinceRow = 0, sinceSnapshot = 0, snapshotDue = 1000;
            byte[] snapshot = [];
            var clock = Stopwatch.StartNew();
            for (int round = 1; round <= rounds && done < matches; round++)
            {
                plan.Start();
                state.StartRound(round);
                var plans = state.RoundPlan.ToList();
                plan.Stop();
                foreach (var match in plans)
                {
                    var outcome = new MatchOutcome(match.Id, round, match.Row.Name, match.Col.Name, true, true, -random.NextDouble() * 3,
                        -random.NextDouble() * 3, "127.0.0.1:4051", 0.009, DateTime.UtcNow, [0.5, 0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5]);
                    record.Start();
                    state.Record(outcome);
                    record.Stop();
                    line.Start();
                    projection.Append(outcome);
                    if (done % 1000 == 999) projection.Flush();
                    line.Stop();
                    done++;
                    sinceRow++;
                    if (++sinceSnapshot >= snapshotDue)
                    {
                        snap.Start();
                        projection.Flush();
                        snapshot = ArenaSnapshot.Of(state, projection.SyncedLength).ToBytes();
                        snapshotDue = ArenaSnapshot.EventsUntilNext(1000, snapshot.Length);
                        sinceSnapshot = 0;
                        snap.Stop();
                    }
                    if (done == next || done == matches)
                    {
                        double perMatch = clock.Elapsed.TotalMicroseconds / sinceRow;
                        long heap = GC.GetTotalMemory(forceFullCollection: true);
                        var restoreClock = Stopwatch.StartNew();
                        new ArenaState(new MatchSchedule(settings)).Restore(ArenaSnapshot.FromBytes(snapshot));
                        double restoreMs = restoreClock.Elapsed.TotalMilliseconds;
                        string Part(Stopwatch w) => (w.Elapsed.TotalMicroseconds / sinceRow).ToString("F0");
                        table.AddRow(done.ToString("N0"), perMatch.ToString("F1"), (heap / 1e6).ToString("F1"), (snapshot.Length / 1024.0).ToString("F0"),
                            restoreMs.ToString("F1"), state.Results.Pairs.ToString("N0"), $"{Part(plan)} / {Part(record)} / {Part(line)} / {Part(snap)}");
                        foreach (var w in new[] { plan, record, line, snap }) w.Reset();
                        next *= 10;
                        sinceRow = 0;
                        clock.Restart();
                    }
                    if (done >= matches) break;
                }
            }
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }
        finally { Directory.Delete(directory, recursive: true); }
    }
}
