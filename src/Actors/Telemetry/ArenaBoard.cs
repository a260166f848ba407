using ShapingCluster.Actors.Arena;

namespace ShapingCluster.Actors.Telemetry;

/// <summary>
/// Builds the arena's answer to <see cref="ArenaActor.GetBoard"/> from its state: the cross-play cells among the
/// best-rated players, the best players' ratings over recent rounds, the recent failures. Bounded by what is asked
/// (at most <see cref="MaxPlayers"/>² cells, <see cref="MaxLines"/> × <see cref="RatingHistory.Kept"/> ratings), not by
/// the league's size or the matches recorded, so a dashboard refreshing every few seconds costs the arena the same at
/// ten members as at a thousand (one sort of the ratings).
/// </summary>
public static class ArenaBoard
{
    public const int MaxPlayers = 100, MaxLines = 50, MaxFailures = RecentFailures.Kept;

    public static ArenaActor.Board Of(ArenaActor.GetBoard ask, ArenaState state, RatingHistory history, RecentFailures failures)
    {
        var ratings = state.Ratings.Current;
        // Best first; players nobody rated yet (no match) after them, by name, so the order is stable.
        var players = state.Table.Players.OrderByDescending(p => ratings.GetValueOrDefault(p, double.NegativeInfinity))
            .ThenBy(p => p, StringComparer.Ordinal).Take(Math.Clamp(ask.Players, 0, MaxPlayers)).ToList();
        var cells = new float[players.Count * players.Count];
        for (int i = 0; i < players.Count; i++)
        for (int j = 0; j < players.Count; j++)
            cells[i * players.Count + j] = (float)state.Table.Mean(players[i], players[j]);

        var rounds = history.Rounds.TakeLast(Math.Clamp(ask.Rounds, 0, RatingHistory.Kept)).ToList();
        var newest = rounds.Count > 0 ? rounds[^1].Ratings : new Dictionary<string, double>();
        var lines = newest.Where(r => double.IsFinite(r.Value)).OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(Math.Clamp(ask.Lines, 0, MaxLines))
            .Select(r => new ArenaActor.RatingLine(r.Key, rounds.Select(x => (float)x.Ratings.GetValueOrDefault(r.Key, double.NaN)).ToArray()))
            .ToList();

        return new ArenaActor.Board(players, state.Table.Players.Count, cells, players.Select(p => state.Recorded.TryGetValue(p, out int n) ? n : (int?)null).ToList(),
            rounds.Select(r => r.Round).ToList(), lines,
            failures.Newest(Math.Clamp(ask.Failures, 0, MaxFailures)).Select(f => new ArenaActor.FailureNote(f.Time, f.Match, f.Reason)).ToList(),
            failures.Total);
    }
}
