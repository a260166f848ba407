using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// run.json, which every run directory starts with: the run's kind ("training" or "population"), its settings, the
/// seed, the resolved configuration, the configuration files, versions and start time; and DIR/config/, a copy of
/// the configuration files (and any command-line overrides) the run started with, so the directory alone is enough
/// to resume the run or to load a member it trained. run.json is never replaced: it is written aside and moved into
/// place without overwriting, so of several nodes starting at once exactly one creates it.
/// </summary>
public static class RunFile
{
    public const string FileName = "run.json";
    public const string ConfigDirectory = "config";
    public const int Format = 1;

    public static JObject Describe(string kind, string settingsKey, JToken settings, long seed, string resolvedHocon, IReadOnlyList<string> configFiles) => new()
    {
        ["kind"] = kind,
        [settingsKey] = settings,
        ["seed"] = seed,
        ["configFiles"] = new JArray(configFiles.Select(Path.GetFullPath)),
        ["resolvedConfig"] = resolvedHocon,
        ["versions"] = new JObject
        {
            ["shaping"] = typeof(RunFile).Assembly.GetName().Version?.ToString(),
            ["akka"] = typeof(Akka.Actor.ActorSystem).Assembly.GetName().Version?.ToString(),
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["dotnet"] = Environment.Version.ToString(),
            ["format"] = Format,
        },
        ["started"] = DateTime.UtcNow.ToString("o"),
    };

    /// <summary>Creates run.json and the configuration copy; false (and nothing written) if run.json exists.</summary>
    public static bool TryCreate(string directory, JObject run, IReadOnlyList<string> configFiles, IReadOnlyList<string> overrides)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, run.ToString(Formatting.Indented));
        try { File.Move(temporary, path, overwrite: false); }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
        var copies = Path.Combine(directory, ConfigDirectory);
        Directory.CreateDirectory(copies);
        var written = new List<string>();
        for (int i = 0; i < configFiles.Count; i++)
        {
            written.Add(Path.Combine(copies, $"{i:D2}-{Path.GetFileName(configFiles[i])}"));
            File.Copy(configFiles[i], written[^1], overwrite: true);
        }
        if (overrides.Count > 0)
        {
            written.Add(Path.Combine(copies, $"{configFiles.Count:D2}-command-line.conf"));
            File.WriteAllLines(written[^1], overrides);
        }
        // The copies may hold a PostgreSQL password: readable by their owner only.
        if (!OperatingSystem.IsWindows())
            foreach (var file in written) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return true;
    }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>run.json of <paramref name="directory"/>; an <see cref="ArgumentException"/> naming it if it is
    /// missing or not a run file.</summary>
    public static JObject Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new ArgumentException($"{directory} holds no run (no {FileName})");
        JObject run;
        try { run = JObject.Parse(File.ReadAllText(path)); }
        catch (JsonReaderException) { throw new ArgumentException($"{path} is not a ShapingCluster run file"); }
        if (run["kind"] is not (null or { Type: JTokenType.String }) || run["versions"] is not JObject { } versions
            || versions["format"] is not { Type: JTokenType.Integer })
            throw new ArgumentException($"{path} is not a ShapingCluster run file (kind and versions.format are missing or malformed)");
        return run;
    }

    /// <summary>"training" or "population" (training runs of the first builds did not say).</summary>
    public static string KindOf(JObject run) => (string?)run["kind"] ?? "training";

    /// <summary>The configuration a run was started with, as copied into its directory.</summary>
    public static string[] ConfigFiles(string directory)
    {
        var copies = Path.Combine(directory, ConfigDirectory);
        if (!Exists(directory) || !Directory.Exists(copies))
            throw new ArgumentException($"{directory} holds no copy of its configuration ({ConfigDirectory}/); it was written by an older build");
        return Directory.GetFiles(copies, "*.conf").Order(StringComparer.Ordinal).ToArray();
    }
}
