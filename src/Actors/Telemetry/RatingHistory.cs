using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Actors.Telemetry;

/// <summary>
/// The ratings fitted after each of the last <see cref="Kept"/> rounds, for the dashboard's ratings plot, held by the
/// arena. An arena that recovers from a snapshot replays only the rounds after it, so it starts from the tail of its
/// own ratings.jsonl (read backwards: the cost does not grow with the rounds of the run) and adds each round it
/// rates or replays. Memory: <see cref="Kept"/> × players ratings.
/// </summary>
public sealed class RatingHistory
{
    public const int Kept = 100;

    private readonly Queue<(int Round, IReadOnlyDictionary<string, double> Ratings)> _rounds = new();

    public IEnumerable<(int Round, IReadOnlyDictionary<string, double> Ratings)> Rounds => _rounds;

    /// <summary>Adds a round's ratings; a round not after the newest one held (a replay of one read from the file) changes nothing.</summary>
    public void Add(int round, IReadOnlyDictionary<string, double> ratings)
    {
        if (_rounds.Count > 0 && round <= _rounds.Last().Round) return;
        _rounds.Enqueue((round, ratings));
        while (_rounds.Count > Kept) _rounds.Dequeue();
    }

    /// <summary>The last <see cref="Kept"/> rounds of a ratings.jsonl (one JSON object per line: round, ratings; null
    /// for a rating that is not finite); a missing file is an empty history, torn or foreign lines are skipped.</summary>
    public static RatingHistory Read(string path)
    {
        var history = new RatingHistory();
        if (!File.Exists(path)) return history;
        foreach (var line in LastLines(path, Kept))
        {
            try
            {
                if (JObject.Parse(line) is not { } o || o["round"] is not { Type: JTokenType.Integer } round || o["ratings"] is not JObject ratings) continue;
                history.Add((int)round, ratings.Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.Null ? double.NaN : (double)p.Value));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or OverflowException) { }
        }
        return history;
    }

    /// <summary>The last <paramref name="count"/> non-empty lines of a file, read from its end in blocks.</summary>
    private static List<string> LastLines(string path, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        const int block = 1 << 16;
        long end = file.Length, start = end;
        int newlines = 0;
        var buffer = new byte[block];
        // Walk back until the chunk holds count + 1 line breaks (the first line of the chunk may be cut) or the file's start.
        while (start > 0 && newlines <= count)
        {
            int size = (int)Math.Min(block, start);
            start -= size;
            file.Position = start;
            file.ReadExactly(buffer, 0, size);
            newlines += buffer.AsSpan(0, size).Count((byte)'\n');
        }
        file.Position = start;
        var bytes = new byte[end - start];
        file.ReadExactly(bytes);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (start > 0 && lines.Count > 0) lines.RemoveAt(0);
        return lines.Count > count ? lines.GetRange(lines.Count - count, count) : lines;
    }
}
