using Newtonsoft.Json.Linq;
using ScottPlot;

namespace ShapingCluster.Host.Runs;

/// <summary>The PNG plots of a population run, drawn from its scoreboard.json: the cross-play table as a heat map
/// and every member's rating after each round.</summary>
public static class PopulationPlots
{
    public static IReadOnlyList<string> Write(string directory)
    {
        var file = Path.Combine(directory, "scoreboard.json");
        if (!File.Exists(file)) return [];
        var board = JObject.Parse(File.ReadAllText(file));
        var written = new List<string>();
        var players = board["crossPlay"]!["players"]!.Select(p => (string)p!).ToArray();
        if (players.Length > 0)
        {
            var mean = (JArray)board["crossPlay"]!["mean"]!;
            var cells = new double[players.Length, players.Length];
            for (int i = 0; i < players.Length; i++)
            for (int j = 0; j < players.Length; j++)
                cells[i, j] = mean[i][j]!.Type == JTokenType.Null ? double.NaN : (double)mean[i][j]!;
            var plot = new Plot();
            var heatmap = plot.Add.Heatmap(cells);
            // Cell centres on whole numbers, so tick i labels row/column i (row 0 drawn at the top).
            heatmap.Position = new CoordinateRect(0, players.Length - 1, 0, players.Length - 1);
            plot.Add.ColorBar(heatmap);
            double[] positions = Enumerable.Range(0, players.Length).Select(i => (double)i).ToArray();
            plot.Axes.Bottom.SetTicks(positions, players);
            plot.Axes.Left.SetTicks(positions, players.Reverse().ToArray());
            plot.Title($"{board["name"]}: mean reward of row player against column player");
            written.Add(Save(plot, directory, "crossplay.png"));
        }
        var history = (JArray)board["ratingHistory"]!;
        if (history.Count > 0)
        {
            var plot = new Plot();
            double[] rounds = history.Select(h => (double)h["round"]!).ToArray();
            foreach (var player in players)
            {
                var line = plot.Add.ScatterLine(rounds, history.Select(h => h["ratings"]![player] is { } r ? (double)r : double.NaN).ToArray());
                line.LegendText = player;
            }
            plot.Title($"{board["name"]}: Elo rating after each round");
            plot.XLabel("round");
            plot.YLabel("rating");
            plot.ShowLegend();
            written.Add(Save(plot, directory, "ratings.png"));
        }
        return written;
    }

    private static string Save(Plot plot, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        plot.SavePng(path, 900, 600);
        return path;
    }
}
