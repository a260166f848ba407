using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The run's results, owned by the arena (one writer in the whole cluster) and fed from its journal: every match
/// recorded once by its id in `matches.jsonl` (appended and flushed as it arrives; rewritten from the journal when
/// the arena recovers, so the file never disagrees with the journal), and `scoreboard.json` (rewritten atomically)
/// with progress, per-member rewards against fresh learners and against members, the cross-play table, and Elo
/// ratings — current and after each completed round, all recomputed from the recorded matches. It also keeps the
/// accounting of quarantined members: they leave the schedule from the next round on, and their unplayed matches of
/// the current round are void, so planned = recorded + void + still to play.
/// </summary>
public sealed class Scoreboard
{
    public const string MatchesFile = "matches.jsonl";
    public const string SummaryFile = "scoreboard.json";

    private readonly string _directory;
    private readonly MatchSchedule _schedule;
    private readonly Dictionary<string, MatchOutcome> _outcomes = [];
    private readonly Dictionary<int, IReadOnlyDictionary<string, double>> _ratingsAfterRound = [];
    private readonly Dictionary<int, IReadOnlyList<MatchPlan>> _plans = [];
    private readonly Dictionary<string, (string Reason, int Round)> _quarantined = [];
    private readonly HashSet<string> _void = [];
    private IReadOnlyDictionary<string, double>? _ratings; // fitted on demand, cleared when a match is recorded

    public Scoreboard(string directory, MatchSchedule schedule)
    {
        _directory = directory;
        _schedule = schedule;
        Directory.CreateDirectory(directory);
    }

    public int MatchesPlanned => Enumerable.Range(1, _schedule.Settings.Rounds).Sum(r => Plan(r).Count) - _void.Count;
    public int MatchesDone => _outcomes.Count;
    public int MatchesVoid => _void.Count;
    public bool Contains(string match) => _outcomes.ContainsKey(match);
    public bool IsSettled(string match) => _outcomes.ContainsKey(match) || _void.Contains(match);
    public IReadOnlyCollection<MatchOutcome> Outcomes => _outcomes.Values;
    public IReadOnlyDictionary<string, (string Reason, int Round)> Quarantined => _quarantined;

    /// <summary>The matches of a round: the schedule among the members not quarantined before it.</summary>
    public IReadOnlyList<MatchPlan> Plan(int round)
    {
        if (_plans.TryGetValue(round, out var plan)) return plan;
        var excluded = _quarantined.Where(q => q.Value.Round < round).Select(q => q.Key).ToHashSet();
        return _plans[round] = _schedule.Round(round, excluded);
    }

    public bool RoundComplete(int round) => Plan(round).All(p => IsSettled(p.Id));

    /// <summary>A member leaves the schedule after <paramref name="round"/>; returns its unsettled matches of that
    /// round, which the caller voids.</summary>
    public IReadOnlyList<string> Quarantine(string member, string reason, int round)
    {
        _quarantined.TryAdd(member, (reason, round));
        foreach (var r in _plans.Keys.Where(r => r > round).ToList()) _plans.Remove(r);
        return Plan(round).Where(p => p.MemberIds().Contains(member) && !IsSettled(p.Id)).Select(p => p.Id).ToList();
    }

    public void Void(string match) => _void.Add(match);

    /// <summary>Takes a match recorded in the journal back, without writing (recovery).</summary>
    public void Restore(MatchOutcome outcome)
    {
        if (_outcomes.TryAdd(outcome.Match, outcome)) _ratings = null;
    }

    /// <summary>Rewrites matches.jsonl from the recorded matches (after recovery from the journal).</summary>
    public void RewriteMatchesFile()
    {
        var path = Path.Combine(_directory, MatchesFile);
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, _outcomes.Values.Select(Line));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Records a match; false (and nothing written) if its id was recorded before.</summary>
    public bool Record(MatchOutcome outcome)
    {
        if (!_outcomes.TryAdd(outcome.Match, outcome)) return false;
        _ratings = null;
        using var stream = new FileStream(Path.Combine(_directory, MatchesFile), FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(stream);
        writer.Write(Line(outcome) + "\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
        return true;
    }

    private static string Line(MatchOutcome outcome) =>
        new JObject
        {
            ["match"] = outcome.Match, ["node"] = outcome.Node, ["row"] = outcome.Row, ["col"] = outcome.Col,
            ["rewards"] = new JArray(outcome.RowReward, outcome.ColReward), ["round"] = outcome.Round,
            ["rowIsMember"] = outcome.RowIsMember, ["colIsMember"] = outcome.ColIsMember, ["seconds"] = Math.Round(outcome.Seconds, 3),
            ["recorded"] = outcome.Recorded.ToString("o"),
            ["cooperation"] = new JArray(Rounded(outcome.RowCooperation), Rounded(outcome.ColCooperation)),
            ["learning"] = new JArray(Metrics(outcome.RowLearning), Metrics(outcome.ColLearning)),
        }.ToString(Formatting.None);

    private static JToken Rounded(double[]? values) => values is null ? JValue.CreateNull() : new JArray(values.Select(v => Number(v, 4)));

    private static JToken Metrics(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is null ? JValue.CreateNull() : new JObject(metrics.Select(m => new JProperty(m.Key, Number(m.Value, 6))));

    /// <summary>Current Elo ratings of every player (members and fresh kinds).</summary>
    public IReadOnlyDictionary<string, double> Ratings() => _ratings ??= EloRatings.Fit(_outcomes.Values);

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
            ["matchesPlanned"] = MatchesPlanned, ["matchesDone"] = MatchesDone, ["matchesVoid"] = MatchesVoid, ["finished"] = finished,
            ["quarantined"] = new JObject(_quarantined.Select(q => new JProperty(q.Key, new JObject { ["reason"] = q.Value.Reason, ["round"] = q.Value.Round }))),
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

    private static JToken Number(double x, int digits = 6) => double.IsFinite(x) ? Math.Round(x, digits) : JValue.CreateNull();
}
