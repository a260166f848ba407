using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using ShapingCluster.Host.Runs;
using ShapingCluster.Tests.Host;
using ShapingCluster.Tests.Telemetry;

namespace ShapingCluster.Tests.Web;

/// <summary>A population run watched through --http (<see cref="DashboardRun"/>): what each endpoint answers, a
/// headless browser on the page, and the run's TensorBoard events.</summary>
public sealed class DashboardTests(DashboardRun run) : IClassFixture<DashboardRun>
{
    private const int Matches = DashboardRun.Rounds * DashboardRun.MatchesPerRound;
    private static readonly string[] Players = ["mfos-0", "mfos-1", "mfos-2", "lola-0", "lola-1", "nl-0", "nl-1"];

    private Task<string> Get(string path) => run.Http.GetStringAsync(new Uri(run.Dashboard, path));

    [Fact]
    public async Task Api_status_answers_the_same_numbers_as_status_json()
    {
        var cli = PlayCommandTests.Shaping("status", "--json", "--seed-nodes", $"127.0.0.1:{run.AkkaPort}");
        Assert.True(cli.Exit == 0, cli.Err);
        var fromStatus = JObject.Parse(cli.Out.Trim());
        var fromWeb = JObject.Parse(await Get("/api/status"));

        var arena = (JObject)fromWeb["Arena"]!;
        Assert.True((bool)arena["Finished"]!);
        Assert.Equal(Matches, (long)arena["MatchesDone"]!);
        Assert.Equal(Matches, (long)arena["MatchesPlanned"]!);
        Assert.Equal(Players.Order(), ((JObject)arena["Ratings"]!).Properties().Select(p => p.Name).Order());
        Assert.Equal(Players.Order(), ((JObject)arena["Learners"]!).Properties().Select(p => p.Name).Order());
        Assert.Equal(7, ((JArray)arena["Top"]!).Count);
        // Rates over the last 30 s move between two asks even when nothing happens (the window slides); every other
        // number of a finished run is fixed, and the two must agree on all of them.
        foreach (var status in new[] { fromStatus, fromWeb })
        {
            ((JObject)status["Arena"]!).Remove("MatchesPerSecond");
            foreach (var load in status["Loads"]!.Cast<JObject>()) load.Remove("Utilisation");
        }
        Assert.True(JToken.DeepEquals(fromStatus, fromWeb), $"status --json:\n{fromStatus}\n/api/status:\n{fromWeb}");
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_the_counters_move()
    {
        using var response = await run.Http.GetAsync(new Uri(run.Dashboard, "/metrics"));
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        var scrapes = run.Scrapes.Select(s => PrometheusText.Parse(s.Text)).ToList(); // throws on anything malformed
        var last = scrapes[^1];
        foreach (var (family, type) in new[]
                 {
                     ("shaping_matches_started_total", "counter"), ("shaping_matches_completed_total", "counter"),
                     ("shaping_matches_failed_total", "counter"), ("shaping_arena_matches_rerun_total", "counter"),
                     ("shaping_arena_matches_recorded_total", "counter"), ("shaping_match_duration_seconds", "histogram"),
                     ("shaping_learner_updates_total", "counter"), ("shaping_learner_update_duration_seconds", "histogram"),
                     ("shaping_journal_write_duration_seconds", "histogram"), ("shaping_cluster_members", "gauge"),
                     ("shaping_compute_busy_seconds_total", "counter"), ("shaping_compute_threads", "gauge"),
                 })
            Assert.True(last.TryGetValue(family, out var f) && f.Type == type, $"{family} ({type}) missing from /metrics");

        // Moving: scraped while the run went on, matches completed rose step by step to the run's total.
        var completed = scrapes.Select(s => s.Value("shaping_matches_completed_total")).ToList();
        Assert.True(completed.Zip(completed.Skip(1)).All(p => p.Item2 >= p.Item1), $"a counter went down: {string.Join(", ", completed)}");
        Assert.True(completed.Distinct().Count() >= 3, $"completed matches barely moved over {completed.Count} scrapes: {string.Join(", ", completed)}");

        // What the finished run's counters must say (one node did everything).
        Assert.Equal(Matches, last.Value("shaping_arena_matches_recorded_total"));
        double started = last.Value("shaping_matches_started_total"), done = last.Value("shaping_matches_completed_total"),
            failed = last.Value("shaping_matches_failed_total");
        Assert.True(done >= Matches, $"{done} completed attempts for {Matches} recorded matches");
        Assert.Equal(started, done + failed); // every attempt ended one way or the other
        Assert.Equal(done, last.Value("shaping_match_duration_seconds_count"));
        // Members that learn (the three M-FOS) learn once from each match they played: 6 opponents a round.
        var board = JObject.Parse(File.ReadAllText(Path.Combine(run.RunDirectory, "scoreboard.json")));
        int learned = Players.Where(p => p.StartsWith("mfos")).Sum(p => (int)board["members"]![p]!["matches"]!);
        Assert.Equal(3 * 6 * DashboardRun.Rounds, learned);
        Assert.Equal(learned, last.Value("shaping_learner_updates_total"));
        Assert.Equal(learned, last.Value("shaping_learner_update_duration_seconds_count"));
        Assert.Equal(learned, last.Value("shaping_journal_write_duration_seconds_count", ("writer", "learner")));
        Assert.True(last.Value("shaping_journal_write_duration_seconds_count", ("writer", "arena")) > 0);
        Assert.Equal(1, last.Value("shaping_cluster_members", ("status", "Up"), ("reachable", "true")));
        Assert.Equal(2, last.Value("shaping_compute_threads"));
        Assert.True(last.Value("shaping_compute_busy_seconds_total") > 0);
    }

    [Fact]
    public async Task Health_is_Up_with_200_for_a_probe()
    {
        using var response = await run.Http.GetAsync(new Uri(run.Dashboard, "/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Up", (string)health["Status"]!);
        Assert.Equal($"127.0.0.1:{run.AkkaPort}", (string)health["Node"]!);
    }

    [Fact]
    public async Task The_members_page_lists_every_member_and_nothing_but_GET_is_served()
    {
        var page = await Get("/members");
        foreach (var player in Players) Assert.Contains($"<td>{player}</td>", page);
        Assert.Equal(7, Regex.Matches(page, "<tr><td class=\"n\">").Count);
        using var post = await run.Http.PostAsync(new Uri(run.Dashboard, "/api/status"), new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public void Headless_Chromium_shows_the_page_with_the_heat_map_and_the_ratings_plot()
    {
        var dom = Chromium("dom", run.Dashboard.ToString());
        string Section(string id) => Regex.Match(dom, $"<section id=\"{id}\">(.*?)</section>", RegexOptions.Singleline) is { Success: true } m
            ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no section '{id}' in the DOM:\n{dom[..Math.Min(2000, dom.Length)]}");
        var heatmap = Section("crossplay");
        Assert.Contains("<svg", heatmap);
        Assert.Contains("<image", heatmap); // the cells: ScottPlot draws a heat map as a bitmap inside the SVG
        Assert.Contains("mean reward of row player against column player", heatmap);
        foreach (var player in Players) Assert.Contains(player, heatmap); // its axis labels
        var ratings = Section("ratings");
        Assert.Contains("<svg", ratings);
        Assert.Contains("rating after each round", ratings);
        foreach (var player in Players) Assert.Contains(player, ratings); // the legend: 7 players, all shown
        Assert.Contains($"{Matches} done of {Matches} planned", Section("progress"));
        Assert.Matches(@"\d+% of 2 threads", Section("nodes"));

        var png = Path.Combine(run.Directory, "dashboard.png");
        Chromium("screenshot", run.Dashboard.ToString(), png, "1000,1800");
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, bytes[..8]);
        Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16))); // IHDR width and height
        Assert.Equal(1800, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public async Task The_population_writes_ratings_and_matches_per_second_to_tensorboard()
    {
        // The node writes its events from the status it polls (every PopulationEvents.Every), so the finished run's
        // last scalars may land a poll after /api/status said Finished: read the file until they are there.
        List<(string Tag, long Step, float Value)> scalars = [];
        IReadOnlyList<TfEventFile.Event> events = [];
        for (var deadline = DateTime.UtcNow + 6 * PopulationEvents.Every; ; await Task.Delay(200))
        {
            var files = Directory.GetFiles(Path.Combine(run.RunDirectory, "tb"), "events.out.tfevents.*");
            try { events = TfEventFile.Read(Assert.Single(files)); }
            catch (InvalidDataException) when (DateTime.UtcNow < deadline) { continue; } // read while a record was half written
            scalars = events.SelectMany(e => e.Scalars.Select(s => (s.Tag, e.Step, s.Value))).ToList();
            if (scalars.Any(s => s.Tag.StartsWith("rating/") && s.Step == DashboardRun.Rounds) || DateTime.UtcNow > deadline) break;
        }
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var rounds = Enumerable.Range(1, DashboardRun.Rounds).Select(r => (long)r).ToList();
        foreach (var player in Players)
            Assert.Equal(rounds, scalars.Where(s => s.Tag == $"rating/{player}").Select(s => s.Step).Order());
        // The last round's ratings are those ratings.jsonl holds for it.
        var lastRound = JObject.Parse(File.ReadLines(Path.Combine(run.RunDirectory, "ratings.jsonl")).Last());
        foreach (var player in Players)
            Assert.Equal((float)(double)lastRound["ratings"]![player]!, scalars.Single(s => s.Tag == $"rating/{player}" && s.Step == DashboardRun.Rounds).Value, 0.01f);
        var rate = scalars.Where(s => s.Tag == "population/matches_per_second").ToList();
        Assert.NotEmpty(rate);
        Assert.All(rate, s => Assert.True(s.Value >= 0 && float.IsFinite(s.Value)));
        Assert.Equal(Matches, scalars.Where(s => s.Tag == "population/matches_done").Max(s => s.Step));
        Assert.DoesNotContain(scalars, s => s.Tag == "population/lambda"); // round robin: no λ
    }

    /// <summary>Runs scripts/chromium.sh (which installs Debian's chromium when it is missing) and returns its output.</summary>
    private static string Chromium(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(E2eScript.RepositoryRoot(), "scripts", "chromium.sh"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "chromium did not finish within 10 minutes");
        Assert.True(process.ExitCode == 0, $"chromium.sh {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
