using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The run's results, owned by the arena (one writer in the whole cluster): every match recorded once by its id in
/// `matches.jsonl` (appended and flushed as it arrives), and `scoreboard.json` (rewritten atomically) with progress,
/// per-member rewards against fresh learners and against members, the cross-play table, and Elo ratings — current
/// and after each completed round, all recomputed from the recorded matches. An existing `matches.jsonl` is read
/// back on start, so an arena that restarts on a shared run directory neither loses nor double-counts matches.
/// </summary>
public sealed class Scoreboard
{
    public const string MatchesFile = "matches.jsonl";
    public const string SummaryFile = "scoreboard.json";

    private readonly string _directory;
    private readonly MatchSchedule _schedule;
    private readonly Dictionary<string, MatchOutcome> _outcomes = [];
    private readonly Dictionary<int, IReadOnlyDictionary<string, double>> _ratingsAfterRound = [];
    private readonly Dictionary<int, int> _roundSizes = [];

    public Scoreboard(string directory, MatchSchedule schedule)
    {
        _directory = directory;
        _schedule = schedule;
        Directory.CreateDirectory(directory);
        MatchesPlanned = Enumerable.Range(1, schedule.Settings.Rounds).Sum(RoundSize);
        foreach (var outcome in ReadMatches(Path.Combine(directory, MatchesFile))) _outcomes.TryAdd(outcome.Match, outcome);
    }

    public int MatchesPlanned { get; }
    public int MatchesDone => _outcomes.Count;
    public bool Contains(string match) => _outcomes.ContainsKey(match);
    public IReadOnlyCollection<MatchOutcome> Outcomes => _outcomes.Values;

    public int RoundSize(int round) => _roundSizes.TryGetValue(round, out var n) ? n : _roundSizes[round] = _schedule.Round(round).Count;

    public bool RoundComplete(int round) => _outcomes.Values.Count(o => o.Round == round) >= RoundSize(round);

    /// <summary>Records a match; false (and nothing written) if its id was recorded before.</summary>
    public bool Record(MatchOutcome outcome)
    {
        if (!_outcomes.TryAdd(outcome.Match, outcome)) return false;
        var line = new JObject
        {
            ["match"] = outcome.Match, ["node"] = outcome.Node, ["row"] = outcome.Row, ["col"] = outcome.Col,
            ["rewards"] = new JArray(outcome.RowReward, outcome.ColReward), ["round"] = outcome.Round,
            ["rowIsMember"] = outcome.RowIsMember, ["colIsMember"] = outcome.ColIsMember, ["seconds"] = Math.Round(outcome.Seconds, 3),
            ["recorded"] = DateTime.UtcNow.ToString("o"),
        }.ToString(Formatting.None);
        using var stream = new FileStream(Path.Combine(_directory, MatchesFile), FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(stream);
        writer.Write(line + "\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>Current Elo ratings of every player (members and fresh kinds).</summary>
    public IReadOnlyDictionary<string, double> Ratings() => EloRatings.Fit(_outcomes.Values);

    /// <summary>Rewrites scoreboard.json (write to a temporary file, then rename).</summary>
    public void WriteSummary(int round, bool finished)
    {
        var settings = _schedule.Settings;
        var table = new CrossPlayTable(_outcomes.Values);
        var ratings = Ratings();
        var players = table.Players.ToList();
        var members = new JObject();
        foreach (var m in settings.Members)
            members[m.Id] = new JObject
            {
                ["kind"] = m.Kind,
                ["matches"] = _outcomes.Values.Count(o => o.Row == m.Id || o.Col == m.Id),
                ["rewardVsFresh"] = Number(table.MeanVersusFresh(m.Id)),
                ["rewardVsMembers"] = Number(table.MeanVersusMembers(m.Id)),
                ["rating"] = Number(ratings.GetValueOrDefault(m.Id, double.NaN)),
            };
        var history = new JArray();
        for (int r = 1; r <= settings.Rounds && RoundComplete(r); r++)
        {
            if (!_ratingsAfterRound.TryGetValue(r, out var after))
                _ratingsAfterRound[r] = after = EloRatings.Fit(_outcomes.Values.Where(o => o.Round <= r));
            history.Add(new JObject { ["round"] = r, ["ratings"] = JObject.FromObject(after) });
        }
        var summary = new JObject
        {
            ["name"] = settings.Name, ["game"] = settings.Game, ["pairing"] = settings.Pairing.ToString(),
            ["matchesPlanned"] = MatchesPlanned, ["matchesDone"] = MatchesDone, ["finished"] = finished,
            ["round"] = round, ["rounds"] = settings.Rounds, ["lambda"] = Number(_schedule.Lambda(Math.Clamp(round, 1, settings.Rounds))),
            ["members"] = members,
            ["crossPlay"] = new JObject
            {
                ["players"] = new JArray(players),
                ["mean"] = new JArray(players.Select(p => new JArray(players.Select(q => Number(table.Mean(p, q)))))),
                ["count"] = new JArray(players.Select(p => new JArray(players.Select(q => table.Count(p, q))))),
            },
            ["ratings"] = JObject.FromObject(ratings),
            ["ratingHistory"] = history,
        };
        var path = Path.Combine(_directory, SummaryFile);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, summary.ToString(Formatting.Indented));
        File.Move(temporary, path, overwrite: true);
    }

    private static JToken Number(double x) => double.IsFinite(x) ? Math.Round(x, 6) : JValue.CreateNull();

    /// <summary>Outcomes recorded in an earlier life of the run; a line cut short by a crash is skipped.</summary>
    private static IEnumerable<MatchOutcome> ReadMatches(string path)
    {
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path))
        {
            JObject o;
            try { o = JObject.Parse(line); }
            catch (JsonReaderException) { continue; }
            var rewards = (JArray)o["rewards"]!;
            yield return new MatchOutcome((string)o["match"]!, (int)o["round"]!, (string)o["row"]!, (string)o["col"]!,
                (bool)o["rowIsMember"]!, (bool)o["colIsMember"]!, (double)rewards[0], (double)rewards[1], (string)o["node"]!, (double)o["seconds"]!);
        }
    }
}
