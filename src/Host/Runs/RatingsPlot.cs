using ScottPlot;

namespace ShapingCluster.Host.Runs;

/// <summary>Players' ratings after each round, one line each, drawn the same way into ratings.png and as SVG by the
/// live dashboard.</summary>
public static class RatingsPlot
{
    /// <param name="lines">per player its rating at each of <paramref name="rounds"/> (NaN where it had none).</param>
    public static Plot Create(string title, double[] rounds, IEnumerable<(string Player, double[] Ratings)> lines)
    {
        var plot = new Plot();
        foreach (var (player, ratings) in lines)
        {
            var line = plot.Add.ScatterLine(rounds, ratings);
            line.LegendText = player;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // rounds are whole
        plot.Title(title);
        plot.XLabel("round");
        plot.YLabel("rating");
        plot.ShowLegend();
        return plot;
    }
}
