using ScottPlot;
using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Host.Play;

/// <summary>`play --plot`: both sides' mean reward per step over the match, as one PNG.</summary>
public static class PlayPlot
{
    public static void Save(string path, MatchResult result, string title)
    {
        var plot = new Plot();
        double[] steps = Enumerable.Range(1, result.Steps).Select(t => (double)t).ToArray();
        foreach (var (seat, side) in new[] { ("row", result.Row), ("col", result.Col) })
        {
            var line = plot.Add.ScatterLine(steps, side.Curve);
            line.LegendText = $"{seat}: {side.Player}";
        }
        plot.Title(title);
        plot.XLabel("learning step");
        plot.YLabel("mean reward per step");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
