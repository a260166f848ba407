using Newtonsoft.Json.Linq;
using ScottPlot;
using ShapingCluster.Actors.Arena;

namespace ShapingCluster.Host.Runs;

/// <summary>The PNG plots of a population run, drawn from its projections: the cross-play table of the best-rated
/// players as a heat map (scoreboard.json), and the best-rated players' ratings after each round (ratings.jsonl).
/// Sized for leagues of any size: at most <see cref="HeatMapPlayers"/> and <see cref="RatingLines"/> players.</summary>
public static class PopulationPlots
{
    public const int HeatMapPlayers = 40, RatingLines = 15;

    public static IReadOnlyList<string> Write(string directory)
    {
        var written = new List<string>();
        var file = Path.Combine(directory, ScoreboardFile.FileName);
        if (!File.Exists(file)) return written;
        var board = JObject.Parse(File.ReadAllText(file));
        var ratings = ((JObject)board["ratings"]!).Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.Null ? double.NaN : (double)p.Value);
        var players = board["crossPlay"]!["players"]!.Select(p => (string)p!).ToList();
        var shown = players.OrderByDescending(p => ratings.GetValueOrDefault(p, double.NegativeInfinity)).Take(HeatMapPlayers)
            .Order(StringComparer.Ordinal).ToList();
        if (shown.Count > 0)
        {
            var at = shown.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
            var cells = new double[shown.Count, shown.Count];
            for (int i = 0; i < shown.Count; i++)
            for (int j = 0; j < shown.Count; j++) cells[i, j] = double.NaN;
            foreach (var cell in (JArray)board["crossPlay"]!["cells"]!)
            {
                string row = players[(int)cell[0]!], col = players[(int)cell[1]!];
                if (at.TryGetValue(row, out int i) && at.TryGetValue(col, out int j) && cell[2]!.Type != JTokenType.Null) cells[i, j] = (double)cell[2]!;
            }
            var of = players.Count > shown.Count ? $" ({shown.Count} best-rated of {players.Count})" : "";
            var plot = CrossPlayPlot.Create($"{board["name"]}: mean reward of row player against column player{of}", shown, cells);
            written.Add(Save(plot, directory, "crossplay.png"));
        }
        var history = Path.Combine(directory, RatingsProjection.FileName);
        if (!File.Exists(history)) return written;
        var rounds = File.ReadLines(history).Select(TryParse).OfType<JObject>().OrderBy(r => (int)r["round"]!).ToList();
        if (rounds.Count == 0) return written;
        var last = (JObject)rounds[^1]["ratings"]!;
        var best = last.Properties().OrderByDescending(p => (double?)p.Value ?? double.NegativeInfinity).Take(RatingLines).Select(p => p.Name).ToList();
        double[] x = rounds.Select(r => (double)(int)r["round"]!).ToArray();
        var lines = RatingsPlot.Create($"{board["name"]}: rating after each round" + (last.Count > best.Count ? $" ({best.Count} best of {last.Count})" : ""), x,
            best.Select(player => (player, rounds.Select(r => r["ratings"]![player] is { Type: not JTokenType.Null } v ? (double)v : double.NaN).ToArray())));
        written.Add(Save(lines, directory, "ratings.png"));
        return written;
    }

    private static JObject? TryParse(string line)
    {
        try { return JObject.Parse(line); }
        catch (Newtonsoft.Json.JsonException) { return null; }
    }

    private static string Save(Plot plot, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 600);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
