using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// scoreboard.json, the run's summary, rewritten on a timer and when the run finishes (a projection of the arena's
/// state, written by the arena alone): progress, quarantines, per member its matches, mean rewards against fresh
/// learners and against members and rating, the cross-play table as its non-empty cells, and the ratings. The state
/// is copied on the arena's thread (O(players + cells)) and written on another, to a temporary file that is synced
/// and renamed over the old one, so a crash leaves the old file or the new one, never half of one.
/// </summary>
public sealed class ScoreboardFile(string directory)
{
    public const string FileName = "scoreboard.json";

    private readonly string _path = Path.Combine(directory, FileName);
    private Task _writing = Task.CompletedTask;

    /// <summary>What one write holds, copied from the state.</summary>
    private sealed record Content(ArenaState.Summary Summary, bool RatingsFitted, bool Finished);

    /// <summary>Writes the state as it is now unless the previous write is still running; false if skipped.</summary>
    public bool TryWrite(ArenaState state, IReadOnlyDictionary<string, double> ratings, bool ratingsFitted, bool finished)
    {
        if (!_writing.IsCompleted) return false;
        var content = new Content(state.Summarise(ratings), ratingsFitted, finished);
        _writing = Task.Run(() => Write(content));
        return true;
    }

    /// <summary>Waits for a running write, then writes the state as it is now (the run's last word).</summary>
    public Task WriteFinal(ArenaState state, IReadOnlyDictionary<string, double> ratings)
    {
        var content = new Content(state.Summarise(ratings), true, true);
        var previous = _writing;
        return _writing = Task.Run(async () =>
        {
            try { await previous; } catch (Exception) { } // the earlier write's failure was reported by it
            Write(content);
        });
    }

    /// <summary>The last write's failure, if it failed.</summary>
    public Exception? Failure => _writing.IsFaulted ? _writing.Exception?.GetBaseException() : null;

    private void Write(Content c)
    {
        var s = c.Summary;
        var players = s.Cells.SelectMany(x => new[] { x.Player, x.Opponent }).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = players.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var board = new JObject
        {
            ["name"] = s.Settings.Name, ["game"] = s.Settings.Game, ["pairing"] = s.Settings.Pairing.ToString(),
            ["matchesPlanned"] = s.MatchesPlanned, ["matchesDone"] = s.MatchesDone, ["matchesVoid"] = s.MatchesVoid, ["finished"] = c.Finished,
            ["round"] = s.Round, ["rounds"] = s.Settings.Rounds, ["lambda"] = JsonNumbers.Of(s.Lambda),
            ["updated"] = DateTime.UtcNow.ToString("o"),
            ["quarantined"] = new JObject(s.Quarantined.Select(q => new JProperty(q.Member, new JObject { ["reason"] = q.Reason, ["round"] = q.Round }))),
            ["members"] = new JObject(s.Members.Select(m => new JProperty(m.Id, new JObject
            {
                ["kind"] = m.Kind, ["matches"] = m.Matches, ["rewardVsFresh"] = JsonNumbers.Of(m.VersusFresh),
                ["rewardVsMembers"] = JsonNumbers.Of(m.VersusMembers), ["rating"] = JsonNumbers.Of(s.Ratings.GetValueOrDefault(m.Id, double.NaN)),
            }))),
            ["crossPlay"] = new JObject
            {
                ["players"] = new JArray(players),
                // Non-empty cells only: [row player index, column player index, mean reward of the row player, matches].
                ["cells"] = new JArray(s.Cells.OrderBy(x => index[x.Player]).ThenBy(x => index[x.Opponent])
                    .Select(x => new JArray(index[x.Player], index[x.Opponent], JsonNumbers.Of(x.Sum / x.Count), x.Count))),
            },
            ["ratings"] = new JObject(s.Ratings.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new JProperty(r.Key, JsonNumbers.Of(r.Value, 2)))),
            // False between full fits: the ratings then are the last fit moved by the online Elo updates since.
            ["ratingsFitted"] = c.RatingsFitted,
        };
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(board.ToString(Formatting.Indented));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }
}
