using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Tests.Host;

/// <summary>`shaping play` end to end, through the built binary as a user runs it.</summary>
public class PlayCommandTests
{
    internal static (int Exit, string Out, string Err) Shaping(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shaping.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "shaping did not finish within two minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Json_output_is_exactly_one_object_with_the_documented_fields()
    {
        var (exit, output, error) = Shaping("play", "--game", "ipd", "--row", "lola", "--col", "nl", "--batch", "256",
            "--steps", "20", "--seed", "1", "--json");
        Assert.True(exit == 0, error);
        var json = JObject.Parse(output.Trim());
        Assert.Equal(["game", "batch", "steps", "seed", "init", "row", "col"], json.Properties().Select(p => p.Name));
        Assert.Equal(["learner", "reward", "final", "finals", "curve"], ((JObject)json["row"]!).Properties().Select(p => p.Name));
        Assert.Equal("normal", (string)json["init"]!);
        Assert.Equal("ipd", (string)json["game"]!);
        Assert.Equal(256, (int)json["batch"]!);
        Assert.Equal("lola", (string)json["row"]!["learner"]!);
        Assert.Equal("nl", (string)json["col"]!["learner"]!);
        Assert.InRange((double)json["row"]!["reward"]!, -3, 0);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public void Zeros_init_starts_every_learner_at_uniform_play_worth_minus_one_and_a_half_in_the_ipd()
    {
        // With learning rate 0 the policies valued at every step are the starting ones.
        var file = Path.Combine(Path.GetTempPath(), $"frozen-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "shaping.learners { nl-pg.learning-rate = 0, lola-dice.learning-rate = 0 }");
        try
        {
            foreach (var (row, col) in new[] { ("nl-pg", "lola-dice"), ("static", "static") })
            {
                var (exit, output, error) = Shaping("play", "--game", "ipd", "--row", row, "--col", col, "--batch", "3",
                    "--steps", "2", "--init", "zeros", "--json", "--config", file);
                Assert.True(exit == 0, error);
                var json = JObject.Parse(output.Trim());
                foreach (var side in new[] { "row", "col" })
                {
                    Assert.All(json[side]!["curve"]!.Select(v => (double)v!), v => Assert.Equal(-1.5, v, 5));
                    Assert.All(json[side]!["finals"]!.Select(v => (double)v!), v => Assert.Equal(-1.5, v, 5));
                }
            }
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Json_final_is_the_mean_of_the_curves_last_ten_steps_and_plot_is_written()
    {
        var plot = Path.Combine(Path.GetTempPath(), $"play-{Guid.NewGuid():N}.png");
        try
        {
            var (exit, output, error) = Shaping("play", "--game", "ipd", "--row", "lola", "--col", "nl", "--batch", "16",
                "--steps", "25", "--json", "--plot", plot);
            Assert.True(exit == 0, error);
            var json = JObject.Parse(output.Trim());
            foreach (var side in new[] { "row", "col" })
            {
                var curve = json[side]!["curve"]!.Select(v => (double)v!).ToArray();
                Assert.Equal(25, curve.Length);
                Assert.Equal(curve.Average(), (double)json[side]!["reward"]!, 6);
                Assert.Equal(curve[^10..].Average(), (double)json[side]!["final"]!, 5);
                Assert.Equal(16, json[side]!["finals"]!.Count());
            }
            Assert.True(new FileInfo(plot).Length > 1000, "the plot file is missing or empty");
        }
        finally { File.Delete(plot); }
    }

    [Fact]
    public void Lola_matches_run_repeatedly_without_native_memory_errors()
    {
        // Regression: before all tensor work ran in dispose scopes, 4 to 6 of 10 such runs crashed (finalizer-thread
        // frees of libtorch temporaries: "Expected false to be true" from Scalar.toFloat, or a segfault).
        for (int run = 0; run < 4; run++)
        {
            var (exit, _, error) = Shaping("play", "--game", "ipd", "--row", "lola", "--col", "lola", "--json");
            Assert.True(exit == 0, $"run {run}: exit {exit}: {error}");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_result()
    {
        string[] args = ["play", "--game", "imp", "--row", "nl", "--col", "lola", "--batch", "64", "--steps", "10", "--seed", "7", "--json"];
        Assert.Equal(Shaping(args).Out, Shaping(args).Out);
    }

    [Fact]
    public void Table_view_names_both_learners()
    {
        var (exit, output, _) = Shaping("play", "--game", "chicken", "--row", "nl", "--col", "lola", "--batch", "64", "--steps", "5");
        Assert.Equal(0, exit);
        Assert.Contains("nl", output);
        Assert.Contains("lola", output);
    }

    [Theory]
    [InlineData("unknown game 'pd'; known games: ipd", "play", "--game", "pd")]
    [InlineData("unknown learner 'lolo'; known learners: nl", "play", "--game", "ipd", "--row", "lolo")]
    [InlineData("--batch", "play", "--game", "ipd", "--batch", "many")]
    [InlineData("--steps must be ≥ 1", "play", "--game", "ipd", "--steps", "0")]
    [InlineData("--init must be normal, zeros or uniform", "play", "--game", "ipd", "--init", "flat")]
    [InlineData("--plot needs a .png file", "play", "--game", "ipd", "--plot", "curves.jpg")]
    public void Bad_input_exits_non_zero_with_one_line_naming_the_problem(string expected, params string[] args)
    {
        var (exit, _, error) = Shaping(args);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Malformed_games_file_exits_non_zero_naming_the_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-games-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "shaping.games.broken {\n iterated = true\n row = [1, 2]\n col = [1, 2, 3, 4]\n}");
        try
        {
            var (exit, _, error) = Shaping("play", "--game", "broken", "--config", file);
            Assert.Equal(2, exit);
            Assert.Contains("shaping.games.broken", error);
        }
        finally { File.Delete(file); }
    }
}
