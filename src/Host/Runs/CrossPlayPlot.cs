using ScottPlot;

namespace ShapingCluster.Host.Runs;

/// <summary>The cross-play heat map (mean reward of the row player against the column player), drawn the same way
/// into crossplay.png at the end of a run and as SVG by the live dashboard.</summary>
public static class CrossPlayPlot
{
    /// <param name="cells">[row, column] means, NaN where the two never met (left blank).</param>
    public static Plot Create(string title, IReadOnlyList<string> players, double[,] cells)
    {
        var plot = new Plot();
        plot.Title(title);
        // ScottPlot's colour range needs one finite cell: the best-rated players of a large league early in a run
        // may not have met one another yet.
        if (!cells.Cast<double>().Any(double.IsFinite))
        {
            plot.Add.Annotation(players.Count == 0 ? "no players yet" : $"none of these {players.Count} players has met another yet");
            return plot;
        }
        var heatmap = plot.Add.Heatmap(cells);
        // Cell centres on whole numbers, so tick i labels row/column i (row 0 drawn at the top).
        heatmap.Position = new CoordinateRect(0, players.Count - 1, 0, players.Count - 1);
        plot.Add.ColorBar(heatmap);
        double[] positions = Enumerable.Range(0, players.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, players.ToArray());
        plot.Axes.Left.SetTicks(positions, players.Reverse().ToArray());
        if (players.Count > 12) plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        if (players.Count > 12) plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        return plot;
    }
}
