using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Host.Runs;

namespace ShapingCluster.Tests.Host;

/// <summary>The plots of a population run are drawn from its files at every stage of a run. A 1,024-member league on
/// three nodes once stopped at round 2: its 40 best-rated players had not met one another, ScottPlot refused a
/// heat map with no finite cell, and the exception stopped each node that took over the arena in turn.</summary>
public sealed class PopulationPlotsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteRun(int players, IEnumerable<(int Row, int Col, double Mean)> cells)
    {
        var names = Enumerable.Range(0, players).Select(i => $"nl-{i}").ToList();
        var board = new JObject
        {
            ["name"] = "plots",
            ["crossPlay"] = new JObject
            {
                ["players"] = new JArray(names),
                ["cells"] = new JArray(cells.Select(c => new JArray(c.Row, c.Col, c.Mean, 1))),
            },
            // The best-rated players first: nl-0 .. nl-39 outrank everyone else.
            ["ratings"] = new JObject(names.Select((n, i) => new JProperty(n, 2000.0 - i))),
        };
        File.WriteAllText(Path.Combine(_dir, ScoreboardFile.FileName), board.ToString());
        File.WriteAllText(Path.Combine(_dir, RatingsProjection.FileName),
            new JObject { ["round"] = 1, ["ratings"] = board["ratings"]!.DeepClone() }.ToString(Newtonsoft.Json.Formatting.None) + "\n");
    }

    [Fact]
    public void A_league_whose_best_players_have_not_met_yet_still_gets_both_plots()
    {
        // 100 players; only the unrated tail (60 .. 99) has played, each against the next.
        WriteRun(100, Enumerable.Range(60, 39).Select(i => (i, i + 1, -1.5)));
        var written = PopulationPlots.Write(_dir);
        Assert.Equal(["crossplay.png", "ratings.png"], written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 1000, $"{path} is empty"));
    }

    [Fact]
    public void A_league_with_met_players_draws_its_heat_map_from_their_cells()
    {
        WriteRun(3, [(0, 1, -1.0), (1, 0, -1.0), (0, 2, 0.0), (2, 0, -3.0)]);
        var written = PopulationPlots.Write(_dir);
        Assert.Contains(written, path => Path.GetFileName(path) == "crossplay.png");
        var svg = CrossPlayPlot.Create("t", ["a", "b"], new double[,] { { double.NaN, -1 }, { -2, double.NaN } }).GetSvgXml(400, 300);
        Assert.DoesNotContain("has met another yet", svg);
        var empty = CrossPlayPlot.Create("t", ["a", "b"], new double[,] { { double.NaN, double.NaN }, { double.NaN, double.NaN } }).GetSvgXml(400, 300);
        Assert.Contains("has met another yet", empty);
    }
}
