using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// ratings.jsonl, one line per completed round: the ratings fitted to every match recorded up to its end (a
/// projection of the journal's <see cref="RoundRated"/> events). A round already in the file is not written again,
/// so replaying events after a crash only adds the rounds that were missing.
/// </summary>
public sealed class RatingsProjection(string directory)
{
    public const string FileName = "ratings.jsonl";

    private readonly string _path = Path.Combine(directory, FileName);
    private readonly HashSet<int> _written = Load(Path.Combine(directory, FileName));

    public void Append(RoundRated rated)
    {
        if (!_written.Add(rated.Round)) return;
        var line = new JObject
        {
            ["round"] = rated.Round,
            ["ratings"] = new JObject(rated.Ratings.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new JProperty(r.Key, JsonNumbers.Of(r.Value, 2)))),
        }.ToString(Formatting.None);
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(line + "\n");
        stream.Flush(flushToDisk: true);
    }

    private static HashSet<int> Load(string path)
    {
        var rounds = new HashSet<int>();
        if (!File.Exists(path)) return rounds;
        foreach (var line in File.ReadLines(path))
        {
            try { if (JObject.Parse(line)["round"] is { } r) rounds.Add((int)r); }
            catch (JsonException) { } // a torn last line: that round is written again
        }
        return rounds;
    }
}
