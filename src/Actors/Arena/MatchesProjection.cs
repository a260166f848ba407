using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// matches.jsonl, one line per recorded match: a projection of the arena's journal, written by the arena alone.
/// Lines are buffered and appended in batches, one fsync per batch (<see cref="Flush"/>), so a line may lag its
/// journal event by up to one flush interval. After a crash the file is reconciled with the journal: the arena's
/// snapshot says how many bytes were synced when it was taken; the lines after that point belong to events after
/// the snapshot, which recovery replays, so each of them is kept once and the missing ones are appended. Nothing is
/// ever rewritten in place; a torn last line is moved to matches.jsonl.damaged, never dropped.
/// </summary>
public sealed class MatchesProjection(string directory)
{
    public const string FileName = "matches.jsonl";

    private readonly string _path = Path.Combine(directory, FileName);
    private readonly List<(string Match, string Line)> _buffer = [];
    private HashSet<string> _present = [];

    /// <summary>Bytes of the file written and synced so far.</summary>
    public long SyncedLength { get; private set; }

    public int Buffered => _buffer.Count;

    public void Append(MatchOutcome outcome)
    {
        if (_present.Remove(outcome.Match)) return; // written before the crash that recovery is catching up on
        _buffer.Add((outcome.Match, Line(outcome)));
    }

    /// <summary>Appends the buffered lines and syncs the file once.</summary>
    public void Flush()
    {
        if (_buffer.Count == 0) return;
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            foreach (var (_, line) in _buffer) writer.Write(line + "\n");
        }
        stream.Flush(flushToDisk: true);
        SyncedLength = stream.Length;
        _buffer.Clear();
    }

    /// <summary>Before the events after a snapshot are replayed: the file up to <paramref name="syncedLength"/> holds
    /// the matches the snapshot covers; the complete lines after it are remembered (recovery's appends skip them) and
    /// a torn line at the end is moved aside. Returns a warning to log, or null.</summary>
    public string? Reconcile(long syncedLength)
    {
        _buffer.Clear();
        _present = [];
        if (!File.Exists(_path))
        {
            SyncedLength = 0;
            return syncedLength > 0 ? $"{FileName} is missing; the {syncedLength} bytes written before the arena's snapshot are lost from it (the journal has those matches)" : null;
        }
        string? warning = null;
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length < syncedLength)
        {
            warning = $"{FileName} has {stream.Length} bytes, fewer than the {syncedLength} the arena's snapshot says it wrote; those lines are lost from it (the journal has the matches)";
            syncedLength = stream.Length;
        }
        stream.Position = syncedLength;
        var rest = new byte[stream.Length - syncedLength];
        stream.ReadExactly(rest);
        long good = 0;
        while (good < rest.Length)
        {
            int end = Array.IndexOf(rest, (byte)'\n', (int)good);
            if (end < 0 || MatchOf(rest.AsSpan((int)good, end - (int)good)) is not { } match) break;
            _present.Add(match);
            good = end + 1;
        }
        if (good < rest.Length)
        {
            var damaged = _path + ".damaged";
            File.AppendAllText(damaged, System.Text.Encoding.UTF8.GetString(rest, (int)good, rest.Length - (int)good) + "\n");
            stream.SetLength(syncedLength + good);
            warning ??= $"{FileName} ended in a torn line (a crash while writing); it was moved to {FileName}.damaged and its match will be written again";
        }
        stream.Flush(flushToDisk: true);
        SyncedLength = stream.Length;
        return warning;
    }

    private static string? MatchOf(ReadOnlySpan<byte> line)
    {
        try { return (string?)JObject.Parse(System.Text.Encoding.UTF8.GetString(line))["match"]; }
        catch (JsonException) { return null; }
    }

    public static string Line(MatchOutcome outcome) =>
        new JObject
        {
            ["match"] = outcome.Match, ["node"] = outcome.Node, ["row"] = outcome.Row, ["col"] = outcome.Col,
            ["rewards"] = new JArray(outcome.RowReward, outcome.ColReward), ["round"] = outcome.Round,
            ["rowIsMember"] = outcome.RowIsMember, ["colIsMember"] = outcome.ColIsMember, ["seconds"] = Math.Round(outcome.Seconds, 3),
            ["recorded"] = outcome.Recorded.ToString("o"),
            ["cooperation"] = new JArray(Rounded(outcome.RowCooperation), Rounded(outcome.ColCooperation)),
            ["learning"] = new JArray(Metrics(outcome.RowLearning), Metrics(outcome.ColLearning)),
        }.ToString(Formatting.None);

    private static JToken Rounded(double[]? values) => values is null ? JValue.CreateNull() : new JArray(values.Select(v => JsonNumbers.Of(v, 4)));

    private static JToken Metrics(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is null ? JValue.CreateNull() : new JObject(metrics.Select(m => new JProperty(m.Key, JsonNumbers.Of(m.Value, 6))));
}
