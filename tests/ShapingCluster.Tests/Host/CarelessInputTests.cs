using System.Security.Cryptography;

namespace ShapingCluster.Tests.Host;

/// <summary>
/// Careless input, tried through the built binary on real run directories: each gets one line naming the problem and
/// a non-zero exit, and every file already in the run directory is byte-identical afterwards (SHA-256).
/// </summary>
[Collection("cluster")]
public sealed class CarelessInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-careless-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Population() => Write("pop.conf",
        "shaping.population { name = careless, members = [\"nl:3\"], pairing = round-robin, rounds = 1, batch = 8, meta-steps = 3 }");

    private string Experiment(string game = "ipd") => Write($"tiny-{game}.conf",
        $"shaping.experiment {{ name = tiny, game = {game}, episodes = 2, batch = 16, meta-steps = 3 }}\nshaping.learners.mfos.ppo.hidden = 8");

    /// <summary>Every file under <paramref name="directory"/> and its SHA-256 (the lock's own files aside).</summary>
    private static Dictionary<string, string> Hashes(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.holders") && !f.EndsWith("run.lock"))
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Runs shaping on <paramref name="directory"/>: it must fail with <paramref name="exit"/> and one line
    /// containing <paramref name="expected"/>, and leave every file as it was.</summary>
    private static void Refused(string? directory, int exit, string expected, params string[] args)
    {
        var before = directory is null ? null : Hashes(directory);
        var (code, _, err) = PlayCommandTests.Shaping(args);
        Assert.True(code == exit, $"exit {code}, expected {exit}: {err}");
        var lines = err.Trim().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line, got:\n{err}");
        Assert.Contains(expected, lines[0]);
        if (before is not null) Assert.Equal(before, Hashes(directory!));
    }

    private string Copy(string source, string name)
    {
        var target = Path.Combine(_dir, name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    [Fact]
    public void A_population_run_directory_survives_careless_resumes_and_starts()
    {
        var run = Path.Combine(_dir, "pop");
        var first = PlayCommandTests.Shaping("train", "--config", Population(), "--out", run, "--quiet");
        Assert.True(first.Exit == 0, first.Err);

        Refused(run, 2, "already holds a run", "train", "--config", Population(), "--out", run);
        foreach (var (name, damage, expected) in new (string, Action<string>, string)[]
        {
            ("missing", d => { foreach (var f in Directory.GetFiles(d, "journal.db*")) File.Delete(f); }, "journal.db is missing"),
            ("emptied", d => { foreach (var f in Directory.GetFiles(d, "journal.db*")) File.Delete(f); File.WriteAllBytes(Path.Combine(d, "journal.db"), []); }, "holds no events"),
            ("garbage", d => { foreach (var f in Directory.GetFiles(d, "journal.db*")) File.Delete(f); File.WriteAllBytes(Path.Combine(d, "journal.db"), new byte[4096].Select((_, i) => (byte)i).ToArray()); }, "not a readable journal"),
            ("run-json", d => File.WriteAllText(Path.Combine(d, "run.json"), "{ not json"), "not a ShapingCluster run file"),
            ("versions", d => File.WriteAllText(Path.Combine(d, "run.json"), File.ReadAllText(Path.Combine(d, "run.json")).Replace("\"versions\": {", "\"versions\": \"x\", \"was\": {")), "not a ShapingCluster run file"),
        })
        {
            var copy = Copy(run, $"pop-{name}");
            damage(copy);
            Refused(copy, 2, expected, "resume", copy, "--quiet");
        }
    }

    [Fact]
    public void A_training_run_directory_survives_another_game_a_second_writer_and_impossible_sizes()
    {
        var run = Path.Combine(_dir, "tiny");
        var first = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", run, "--quiet");
        Assert.True(first.Exit == 0, first.Err);

        Refused(run, 2, "other settings", "train", "--config", Experiment("imp"), "--out", run, "--resume");
        // A second writer: this test holds the directory's lock as a running train would.
        using (new FileStream(Path.Combine(run, "run.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Directory.CreateDirectory(Path.Combine(run, ".holders"));
            File.WriteAllText(Path.Combine(run, ".holders", Environment.ProcessId.ToString()), "the careless-input test");
            Refused(run, 2, "in use by the careless-input test", "train", "--config", Experiment(), "--out", run, "--resume");
        }
        File.Delete(Path.Combine(run, ".holders", Environment.ProcessId.ToString()));

        var huge = Write("huge.conf", "shaping.experiment { name = huge, batch = 1e12 }");
        Refused(null, 2, "out of range", "train", "--config", huge, "--out", Path.Combine(_dir, "huge"));
        var big = Write("big.conf", "shaping.experiment { name = big, batch = 2000000000, meta-steps = 100 }");
        Refused(null, 2, "needs about", "train", "--config", big, "--out", Path.Combine(_dir, "big"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "huge")) || Directory.Exists(Path.Combine(_dir, "big")), "a refused run created its directory");

        var file = Write("a-file", "not a directory");
        var (code, _, err) = PlayCommandTests.Shaping("train", "--config", Experiment(), "--out", Path.Combine(file, "run"));
        Assert.NotEqual(0, code);
        Assert.Single(err.Trim().Split('\n'));
        Refused(null, 2, "is not host:port", "status", "--seed-nodes", "127.0.0.1\":4051");
    }
}
