using Newtonsoft.Json.Linq;

namespace ShapingCluster.Tests.Host;

/// <summary>`shaping train` end to end through the built binary: the run directory, and --resume.</summary>
public class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Experiment()
    {
        var path = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(path, "shaping.experiment {\n name = tiny\n game = ipd\n opponent = lola\n episodes = 3\n batch = 64\n meta-steps = 10\n checkpoint-every = 2\n}\nshaping.learners.mfos.ppo.hidden = 16");
        return path;
    }

    [Fact]
    public void Train_writes_the_run_directory_and_resumes_to_the_configured_length()
    {
        var run = Path.Combine(_dir, "run");
        var (exit, output, error) = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run, "--episodes", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("episode 2/2", output);
        Assert.Contains("last 2 (1–2)", output); // the windows table printed when the run stops
        foreach (var file in new[] { "run.json", "episodes.jsonl", "rewards.png", "policy.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        var runJson = JObject.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.Equal("tiny", (string)runJson["experiment"]!["Name"]!);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "episodes.jsonl")).Length);
        Assert.Equal(["episode-000000.ckpt", "episode-000002.ckpt"], Directory.GetFiles(Path.Combine(run, "checkpoints")).Select(Path.GetFileName).Order());

        // The same directory again without --resume is refused; with it, the run continues to 3 episodes.
        var refused = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--resume", refused.Err);
        var resumed = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run, "--resume");
        Assert.True(resumed.Exit == 0, resumed.Err);
        var episodes = File.ReadAllLines(Path.Combine(run, "episodes.jsonl")).Select(JObject.Parse).ToList();
        Assert.Equal([1, 2, 3], episodes.Select(e => (int)e["episode"]!));
        Assert.Equal("lola", (string)episodes[2]["opponent"]!);

        var report = PlayCommandTests.Shaping("report", run);
        Assert.True(report.Exit == 0, report.Err);
        Assert.Contains("last 3 (1–3)", report.Out);
        var noRun = PlayCommandTests.Shaping("report", _dir);
        Assert.Equal(2, noRun.Exit);
        Assert.Contains("no training run", noRun.Err);
    }

    [Fact]
    public void A_trained_member_plays_by_its_run_directory_and_a_corrupt_newest_checkpoint_falls_back()
    {
        var run = Path.Combine(_dir, "trained");
        var first = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run, "--episodes", "2", "--quiet");
        Assert.True(first.Exit == 0, first.Err);
        Assert.True(Directory.GetFiles(Path.Combine(run, "config")).Length == 1, "the configuration travels with the run");

        // The member plays wherever a learner name is accepted, on the game it was trained on.
        var play = PlayCommandTests.Shaping("play", "--game", "ipd", "--row", "nl", "--col", run, "--batch", "64", "--steps", "5", "--json");
        Assert.True(play.Exit == 0, play.Err);
        var result = JObject.Parse(play.Out);
        Assert.Equal("trained", (string)result["col"]!["learner"]!);
        Assert.InRange((double)result["col"]!["reward"]!, -3, 0);
        var otherGame = PlayCommandTests.Shaping("play", "--game", "imp", "--col", run);
        Assert.Equal(2, otherGame.Exit);
        Assert.Contains("trained its members on 'ipd'", otherGame.Err);
        var noMember = PlayCommandTests.Shaping("play", "--game", "ipd", "--col", Path.Combine(run, "mfos-1"));
        Assert.Equal(2, noMember.Exit);
        Assert.Contains("not 'mfos-1'", noMember.Err);

        // Resuming with other settings is refused; a corrupt newest checkpoint falls back to the one before it.
        var other = Path.Combine(_dir, "other.conf");
        File.WriteAllText(other, File.ReadAllText(Experiment()).Replace("opponent = lola", "opponent = nl"));
        var refused = PlayCommandTests.Shaping("train", "--config", other, "--out", run, "--resume");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("other settings", refused.Err);
        var newest = Directory.GetFiles(Path.Combine(run, "checkpoints")).Order().Last();
        Assert.EndsWith("episode-000002.ckpt", newest);
        File.WriteAllBytes(newest, File.ReadAllBytes(newest)[..200]);
        var resumed = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run, "--resume", "--quiet");
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Contains("unusable", resumed.Err);
        Assert.Contains("resuming tiny after episode 0", resumed.Err);
        Assert.Equal([1, 2, 3], File.ReadAllLines(Path.Combine(run, "episodes.jsonl")).Select(l => (int)JObject.Parse(l)["episode"]!));
    }

    [Fact]
    public async Task Interrupt_stops_after_the_current_episode_with_everything_written()
    {
        var config = Path.Combine(_dir, "long.conf");
        File.WriteAllText(config, "shaping.experiment {\n name = long\n episodes = 100000\n batch = 32\n meta-steps = 5\n}\nshaping.learners.mfos.ppo.hidden = 8");
        var run = Path.Combine(_dir, "interrupted");
        // SIGINT may be ignored in this test host (inherited from whatever started it, or set by a library), and an
        // ignored SIGINT is inherited by children; `env --default-signal` gives the child the default disposition,
        // as a terminal's Ctrl-C would find it.
        var start = new System.Diagnostics.ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "shaping.dll"), "train", "--config", config, "--out", run, "--quiet" })
            start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var episodes = Path.Combine(run, "episodes.jsonl");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((!File.Exists(episodes) || File.ReadAllLines(episodes).Length < 3) && DateTime.UtcNow < deadline && !process.HasExited)
            Thread.Yield();
        Assert.False(process.HasExited, stderr.IsCompleted ? await stderr : "exited early");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) kill!.WaitForExit();
        Assert.True(process.WaitForExit(60_000), "did not stop within a minute of SIGINT");
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("stopped long after episode", await stderr);
        int lines = File.ReadAllLines(episodes).Length;
        var newest = Directory.GetFiles(Path.Combine(run, "checkpoints")).Order().Last();
        Assert.EndsWith($"episode-{lines:D6}.ckpt", newest);
        Assert.True(File.Exists(Path.Combine(run, "rewards.png")));
        Assert.Contains($"episode {lines}/100000", await stdout);
    }

    [Fact]
    public void Unknown_experiment_key_is_an_error_naming_it()
    {
        var path = Path.Combine(_dir, "bad.conf");
        File.WriteAllText(path, "shaping.experiment.episods = 3");
        var (exit, _, error) = PlayCommandTests.Shaping("train", "--config", path);
        Assert.Equal(2, exit);
        Assert.Contains("episods", error);
    }

    [Fact]
    public void A_population_trains_on_the_embedded_node_and_resumes_from_its_journal()
    {
        var config = Path.Combine(_dir, "population.conf");
        File.WriteAllText(config, "shaping.population {\n name = tiny-pop\n members = [\"mfos:2\", \"lola\"]\n pairing = round-robin\n rounds = 5\n batch = 32\n meta-steps = 5\n}\nshaping.learners.mfos.ppo.hidden = 8");
        var run = Path.Combine(_dir, "pop");
        var (exit, _, error) = PlayCommandTests.Shaping("train", "--config", config, "--out", run, "--rounds", "1", "--quiet");
        Assert.True(exit == 0, error);
        foreach (var file in new[] { "run.json", "matches.jsonl", "scoreboard.json", "journal.db", "snapshots.db", "crossplay.png", "ratings.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        var board = JObject.Parse(File.ReadAllText(Path.Combine(run, "scoreboard.json")));
        Assert.Equal(3, (int)board["matchesDone"]!); // round robin of 3 members, one round (--rounds 1)
        Assert.True((bool)board["finished"]!);

        var refused = PlayCommandTests.Shaping("train", "--config", config, "--out", run);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("already holds a run", refused.Err);
        // Resuming a finished run finds nothing left to play: the --rounds override travelled with the run.
        var resumed = PlayCommandTests.Shaping("resume", run, "--quiet");
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Contains("finished tiny-pop: 3 matches", resumed.Err);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "matches.jsonl")).Length);
    }
}
