using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Mfos;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// What a training run leaves on disk: run.json (resolved experiment, seed, versions), episodes.jsonl (one line per
/// episode, flushed as it is written), checkpoints/episode-NNNNNN.ckpt (written to a temporary file and renamed,
/// the newest three kept) and the PNG plots.
/// </summary>
public sealed class RunDirectory
{
    private const int CheckpointsKept = 3;

    public RunDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public string RunFile => System.IO.Path.Combine(Path, "run.json");
    public string EpisodesFile => System.IO.Path.Combine(Path, "episodes.jsonl");
    public string CheckpointDirectory => System.IO.Path.Combine(Path, "checkpoints");

    public bool HoldsRun => File.Exists(RunFile);

    public void Create(MfosExperiment experiment, string resolvedHocon, IReadOnlyList<string> configFiles)
    {
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(CheckpointDirectory);
        var run = new JObject
        {
            ["experiment"] = JObject.FromObject(experiment),
            ["seed"] = experiment.Seed,
            ["configFiles"] = new JArray(configFiles.Select(System.IO.Path.GetFullPath)),
            ["resolvedConfig"] = resolvedHocon,
            ["versions"] = new JObject
            {
                ["shaping"] = typeof(RunDirectory).Assembly.GetName().Version?.ToString(),
                ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
                ["dotnet"] = Environment.Version.ToString(),
                ["format"] = 1,
            },
            ["started"] = DateTime.UtcNow.ToString("o"),
        };
        File.WriteAllText(RunFile, run.ToString(Formatting.Indented));
        File.WriteAllText(EpisodesFile, "");
    }

    public void AppendEpisode(EpisodeRecord record)
    {
        string[] states = record.Cooperation.Length == 5 ? ["start", "CC", "CD", "DC", "DD"] : ["start"];
        var line = new JObject
        {
            ["episode"] = record.Episode,
            ["lambda"] = double.IsNaN(record.Lambda) ? null : record.Lambda,
            ["opponent"] = record.Opponent,
            ["sides"] = new JArray(record.Sides),
            ["rewards"] = new JArray(record.Rewards),
            ["cooperation"] = new JObject(states.Select((s, i) => new JProperty(s, record.Cooperation[i]))),
            ["rolloutSeconds"] = Math.Round(record.RolloutSeconds, 3),
            ["updateSeconds"] = Math.Round(record.UpdateSeconds, 3),
            ["seconds"] = Math.Round(record.RolloutSeconds + record.UpdateSeconds, 3),
        };
        using var stream = new FileStream(EpisodesFile, FileMode.Append, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(line.ToString(Formatting.None));
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    public IReadOnlyList<JObject> ReadEpisodes() =>
        File.Exists(EpisodesFile)
            ? File.ReadLines(EpisodesFile).Where(l => l.Length > 0).Select(JObject.Parse).ToList()
            : [];

    /// <summary>Drops episode lines after <paramref name="episodes"/> (those a resumed run will play again).</summary>
    public void TruncateEpisodes(int episodes)
    {
        var kept = ReadEpisodes().Where(e => (int)e["episode"]! <= episodes).Select(e => e.ToString(Formatting.None));
        File.WriteAllLines(EpisodesFile, kept);
    }

    public void SaveCheckpoint(MfosTraining training)
    {
        Directory.CreateDirectory(CheckpointDirectory);
        var final = System.IO.Path.Combine(CheckpointDirectory, $"episode-{training.EpisodesDone:D6}.ckpt");
        var temporary = final + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            training.SaveCheckpoint(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, final, overwrite: true);
        foreach (var old in Checkpoints().SkipLast(CheckpointsKept)) File.Delete(old);
    }

    /// <summary>Checkpoint files, oldest first.</summary>
    public IReadOnlyList<string> Checkpoints() =>
        Directory.Exists(CheckpointDirectory)
            ? Directory.GetFiles(CheckpointDirectory, "episode-*.ckpt").Order(StringComparer.Ordinal).ToList()
            : [];
}
