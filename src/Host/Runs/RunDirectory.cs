using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Training;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// What a training run leaves on disk: run.json and config/ (<see cref="RunFile"/>), episodes.jsonl (one line per
/// episode, flushed as it is written), checkpoints/episode-NNNNNN.ckpt (<see cref="MemberCheckpoint"/>, written to a
/// temporary file and renamed, the newest three kept) and the PNG plots.
/// </summary>
public sealed class RunDirectory
{
    private const int CheckpointsKept = 3;

    public RunDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public string EpisodesFile => System.IO.Path.Combine(Path, "episodes.jsonl");
    public string CheckpointDirectory => System.IO.Path.Combine(Path, "checkpoints");

    public bool HoldsRun => RunFile.Exists(Path);

    /// <summary>What a run's settings are compared by on --resume: the experiment without its length (a resumed run
    /// may be extended), and the settings of the trained kind, its opponents and the game.</summary>
    public static JObject Fingerprint(Experiment experiment, JObject settings)
    {
        var described = JObject.FromObject(experiment);
        described.Remove(nameof(Experiment.Episodes));
        // Runs from before the mirror mode existed recorded no such field; a run that is not a mirror run still
        // fingerprints as it did then.
        if (!experiment.Mirror) described.Remove(nameof(Experiment.Mirror));
        return new JObject { ["experiment"] = described, ["settings"] = settings };
    }

    public void Create(Experiment experiment, JObject settings, string resolvedHocon, IReadOnlyList<string> configFiles, IReadOnlyList<string> overrides)
    {
        var run = RunFile.Describe("training", "experiment", JObject.FromObject(experiment), experiment.Seed, resolvedHocon, configFiles);
        run["fingerprint"] = Fingerprint(experiment, settings);
        if (!RunFile.TryCreate(Path, run, configFiles, overrides))
            throw new ArgumentException($"{Path} already holds a run; pass --resume to continue it or choose another --out");
        Directory.CreateDirectory(CheckpointDirectory);
        File.WriteAllText(EpisodesFile, "");
    }

    /// <summary>Refuses to resume with settings other than the run's (anything but the episode count).</summary>
    public void CheckSameRun(Experiment experiment, JObject settings)
    {
        var run = RunFile.Read(Path);
        if (RunFile.KindOf(run) != "training") throw new ArgumentException($"{Path} holds a {RunFile.KindOf(run)} run, not a training run");
        var recorded = run["fingerprint"] as JObject
            ?? throw new ArgumentException($"{Path} was written by an older build that did not record its settings; it cannot be resumed safely");
        var now = JToken.Parse(Fingerprint(experiment, settings).ToString());
        if (JToken.DeepEquals(recorded, now)) return;
        throw new ArgumentException($"{Path} holds a run with other settings ({FirstDifference(recorded, now)}); resume it with its own configuration ({Path}/{RunFile.ConfigDirectory}/)");
    }

    private static string FirstDifference(JToken a, JToken b)
    {
        if (a is JObject oa && b is JObject ob)
        {
            foreach (var name in oa.Properties().Select(p => p.Name).Union(ob.Properties().Select(p => p.Name)))
            {
                var (x, y) = (oa[name], ob[name]);
                if (x is null || y is null) return $"{name} only in one";
                if (!JToken.DeepEquals(x, y)) return x is JObject && y is JObject ? $"{name}.{FirstDifference(x, y)}" : $"{name}: {Short(x)} then, {Short(y)} now";
            }
        }
        return "differs";
    }

    private static string Short(JToken t)
    {
        var text = t.ToString(Formatting.None);
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    /// <summary>The names of an episode's cooperation values: a memory-one policy's start state and CC, CD, DC, DD
    /// (own action first), or a one-shot game's single state.</summary>
    public static string[] CooperationStates(EpisodeRecord record) => record.Cooperation.Length == 5 ? ["start", "CC", "CD", "DC", "DD"] : ["start"];

    public void AppendEpisode(EpisodeRecord record)
    {
        string[] states = CooperationStates(record);
        var line = new JObject
        {
            ["episode"] = record.Episode,
            ["lambda"] = double.IsNaN(record.Lambda) ? null : record.Lambda,
            ["opponent"] = record.Opponent,
            ["sides"] = new JArray(record.Sides),
            ["rewards"] = new JArray(record.Rewards),
            ["cooperation"] = new JObject(states.Select((s, i) => new JProperty(s, record.Cooperation[i]))),
            ["learning"] = new JArray(record.Learning.Select(l => new JObject(l.Metrics.Select(m => new JProperty(m.Key, m.Value))))),
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

    /// <summary>Drops episode lines after <paramref name="episodes"/> (those a resumed run will play again). The
    /// file is rewritten aside and moved into place, so a crash leaves the old or the new file, never half of one.</summary>
    public void TruncateEpisodes(int episodes)
    {
        var kept = ReadEpisodes().Where(e => (int)e["episode"]! <= episodes).Select(e => e.ToString(Formatting.None)).ToList();
        var temporary = EpisodesFile + ".tmp";
        File.WriteAllLines(temporary, kept);
        File.Move(temporary, EpisodesFile, overwrite: true);
    }

    public void SaveCheckpoint(MemberCheckpoint checkpoint)
    {
        Directory.CreateDirectory(CheckpointDirectory);
        var final = System.IO.Path.Combine(CheckpointDirectory, $"episode-{checkpoint.Progress:D6}.ckpt");
        var temporary = final + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(checkpoint.ToBytes());
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

    /// <summary>The newest intact checkpoint that <paramref name="accept"/> takes (it throws
    /// <see cref="InvalidDataException"/> for one that does not fit), falling back past corrupt ones; each one skipped
    /// is reported to <paramref name="skipped"/>. Null if none is left.</summary>
    public (string File, MemberCheckpoint Checkpoint)? NewestCheckpoint(Action<MemberCheckpoint> accept, Action<string>? skipped = null)
    {
        foreach (var file in Checkpoints().Reverse())
        {
            try
            {
                var checkpoint = MemberCheckpoint.FromBytes(File.ReadAllBytes(file));
                accept(checkpoint);
                return (file, checkpoint);
            }
            catch (InvalidDataException e) { skipped?.Invoke($"{file} is unusable ({e.Message}); trying the one before it"); }
        }
        return null;
    }
}
