using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The arena's state as a snapshot (a byte array for the snapshot store, so the store never needs to understand it):
/// everything <see cref="ArenaState"/> holds plus how many bytes of matches.jsonl the state had written and synced,
/// so that recovery reads this and the events after it, and reconciles matches.jsonl from that length on. Size: one
/// round's plan, the pairs that met and the players, never the matches recorded. Guarded like member checkpoints:
/// SHA-256 over the body, every count checked against the bytes left.
/// </summary>
public sealed record ArenaSnapshot(bool Started, int Round, int RatedRound, IReadOnlyList<MatchPlan> Plan, IReadOnlyCollection<string> Settled,
    long MatchesDone, long MatchesVoid, long MatchesOfStartedRounds, IReadOnlyList<(string Member, string Reason, int Round)> Quarantined,
    CrossPlayTable Table, RatingTally Results, IReadOnlyDictionary<string, double> Ratings, IReadOnlyDictionary<string, int> Recorded,
    long MatchesFileLength)
{
    private const string Magic = "SHAPINGCLUSTER-ARENA";

    /// <summary>Events until the next snapshot after one of <paramref name="bytes"/>: at least
    /// <paramref name="snapshotEvery"/>, and enough that snapshots cost at most about 2 KB of writing per event (a
    /// league's state grows with the pairs that met; recovery then replays more events, each cheap).</summary>
    public static int EventsUntilNext(int snapshotEvery, long bytes) => (int)Math.Clamp(bytes / 2048, snapshotEvery, int.MaxValue);
    private const int Version = 1;

    public static ArenaSnapshot Of(ArenaState state, long matchesFileLength) => new(state.Started, state.Round, state.RatedRound, state.RoundPlan.ToList(),
        state.SettledIds.ToList(), state.MatchesDone, state.MatchesVoid, state.MatchesOfStartedRounds,
        state.Quarantined.Select(q => (q.Key, q.Value.Reason, q.Value.Round)).ToList(), state.Table, state.Results,
        new Dictionary<string, double>(state.Ratings.Current), new Dictionary<string, int>(state.Recorded), matchesFileLength);

    public byte[] ToBytes() => SealedEnvelope.Seal(Magic, Version, w =>
    {
        w.Write(Started);
        w.Write(Round);
        w.Write(RatedRound);
        w.Write(Plan.Count);
        foreach (var p in Plan)
        {
            w.Write(p.Id); w.Write(p.Number); w.Write(p.Round);
            w.Write(p.Row.Name); w.Write(p.Row.IsMember); w.Write(p.Col.Name); w.Write(p.Col.IsMember);
        }
        w.Write(Settled.Count);
        foreach (var id in Settled) w.Write(id);
        w.Write(MatchesDone); w.Write(MatchesVoid); w.Write(MatchesOfStartedRounds);
        w.Write(Quarantined.Count);
        foreach (var (member, reason, round) in Quarantined) { w.Write(member); w.Write(reason); w.Write(round); }
        var cells = Table.Entries().ToList();
        w.Write(cells.Count);
        foreach (var (player, opponent, sum, count) in cells) { w.Write(player); w.Write(opponent); w.Write(sum); w.Write(count); }
        var sides = Table.Sides().ToList();
        w.Write(sides.Count);
        foreach (var (member, versusMembers, sum, count) in sides) { w.Write(member); w.Write(versusMembers); w.Write(sum); w.Write(count); }
        var pairs = Results.Entries().ToList();
        w.Write(pairs.Count);
        foreach (var (first, second, games, score) in pairs) { w.Write(first); w.Write(second); w.Write(games); w.Write(score); }
        w.Write(Ratings.Count);
        foreach (var (player, rating) in Ratings) { w.Write(player); w.Write(rating); }
        w.Write(Recorded.Count);
        foreach (var (player, count) in Recorded) { w.Write(player); w.Write(count); }
        w.Write(MatchesFileLength);
    });

    /// <exception cref="InvalidDataException">not an intact arena snapshot of this format.</exception>
    public static ArenaSnapshot FromBytes(byte[] data) => SealedEnvelope.Open(data, Magic, Version, "arena snapshot", r =>
    {
        bool started = r.ReadBoolean();
        int round = r.ReadInt32(), rated = r.ReadInt32();
        var plan = SealedEnvelope.List(r, 8, () => new MatchPlan(r.ReadString(), r.ReadInt64(), r.ReadInt32(),
            new SeatSpec(r.ReadString(), r.ReadBoolean()), new SeatSpec(r.ReadString(), r.ReadBoolean())));
        var settled = SealedEnvelope.List(r, 1, r.ReadString);
        long done = r.ReadInt64(), voids = r.ReadInt64(), startedRounds = r.ReadInt64();
        var quarantined = SealedEnvelope.List(r, 6, () => (r.ReadString(), r.ReadString(), r.ReadInt32()));
        var table = new CrossPlayTable();
        foreach (var (player, opponent, sum, count) in SealedEnvelope.List(r, 14, () => (r.ReadString(), r.ReadString(), r.ReadDouble(), r.ReadInt32())))
            table.Restore(player, opponent, sum, count);
        foreach (var (member, versusMembers, sum, count) in SealedEnvelope.List(r, 14, () => (r.ReadString(), r.ReadBoolean(), r.ReadDouble(), r.ReadInt32())))
            table.RestoreSide(member, versusMembers, sum, count);
        var results = new RatingTally();
        foreach (var (first, second, games, score) in SealedEnvelope.List(r, 14, () => (r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadDouble())))
            results.Restore(first, second, games, score);
        var ratings = SealedEnvelope.List(r, 9, () => (r.ReadString(), r.ReadDouble())).ToDictionary(x => x.Item1, x => x.Item2);
        var recorded = SealedEnvelope.List(r, 5, () => (r.ReadString(), r.ReadInt32())).ToDictionary(x => x.Item1, x => x.Item2);
        long fileLength = r.ReadInt64();
        return new ArenaSnapshot(started, round, rated, plan, settled, done, voids, startedRounds, quarantined, table, results, ratings, recorded, fileLength);
    });
}
