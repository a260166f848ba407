using ShapingCluster.Actors.Arena;
using ShapingCluster.Host.Runs;

namespace ShapingCluster.Host.Web;

/// <summary>The dashboard's two plots as SVG, drawn server-side by ScottPlot from the arena's board (the same plots
/// as crossplay.png and ratings.png): nothing is fetched by the browser, so the page works offline.</summary>
public static class DashboardPlots
{
    public const int Width = 900, HeatMapHeight = 780, RatingsHeight = 520;

    /// <returns>null before any match is recorded.</returns>
    public static string? CrossPlay(string population, ArenaActor.Board board)
    {
        int n = board.Players.Count;
        if (n == 0) return null;
        var cells = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) cells[i, j] = board.CrossPlay[i * n + j];
        var of = board.TablePlayers > n ? $" ({n} best-rated of {board.TablePlayers})" : "";
        return CrossPlayPlot.Create($"{population}: mean reward of row player against column player{of}", board.Players, cells)
            .GetSvgXml(Width, HeatMapHeight).WithoutXmlDeclaration();
    }

    /// <returns>null before the first round is rated.</returns>
    public static string? Ratings(string population, ArenaActor.Board board)
    {
        if (board.Rounds.Count == 0 || board.Ratings.Count == 0) return null;
        double[] rounds = board.Rounds.Select(r => (double)r).ToArray();
        var title = $"{population}: rating after each round ({board.Ratings.Count} best, last {board.Rounds.Count} rounds)";
        return RatingsPlot.Create(title, rounds, board.Ratings.Select(l => (l.Player, l.Ratings.Select(r => (double)r).ToArray())))
            .GetSvgXml(Width, RatingsHeight).WithoutXmlDeclaration();
    }

    /// <summary>The SVG element alone: an XML declaration has no place inside an HTML page (the .svg endpoints serve the same text).</summary>
    private static string WithoutXmlDeclaration(this string svg) => svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
}
