using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// run.json of a population run: the resolved population settings and HOCON, versions and start time. Every node of
/// a machine may share one run directory, so the first node writes it and the others check that it describes the
/// same population (a directory holding another run is refused, never overwritten).
/// </summary>
public static class PopulationRunFile
{
    public const int Format = 1;
    public const string ConfigDirectory = "config";

    /// <summary>The configuration files a run was started with, as copied into its directory.</summary>
    public static string[] ConfigFiles(string directory)
    {
        var copies = Path.Combine(directory, ConfigDirectory);
        if (!File.Exists(Path.Combine(directory, "run.json")) || !Directory.Exists(copies))
            throw new ArgumentException($"{directory} holds no population run to resume");
        return Directory.GetFiles(copies, "*.conf").Order(StringComparer.Ordinal).ToArray();
    }

    public static void CreateOrCheck(string directory, PopulationSettings population, string resolvedHocon, IReadOnlyList<string> configFiles)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "run.json");
        var run = new JObject
        {
            ["kind"] = "population",
            ["population"] = JObject.FromObject(population),
            ["seed"] = population.Seed,
            ["configFiles"] = new JArray(configFiles.Select(Path.GetFullPath)),
            ["resolvedConfig"] = resolvedHocon,
            ["versions"] = new JObject
            {
                ["shaping"] = typeof(PopulationRunFile).Assembly.GetName().Version?.ToString(),
                ["akka"] = typeof(Akka.Actor.ActorSystem).Assembly.GetName().Version?.ToString(),
                ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
                ["dotnet"] = Environment.Version.ToString(),
                ["format"] = Format,
            },
            ["started"] = DateTime.UtcNow.ToString("o"),
        };
        // Written aside and moved into place without overwriting: of several nodes starting at once exactly one
        // creates the file, and nobody reads a half-written one.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, run.ToString(Formatting.Indented));
        try
        {
            File.Move(temporary, path, overwrite: false);
            // The configuration travels with the run, so `shaping resume DIR` needs nothing else.
            var copies = Path.Combine(directory, ConfigDirectory);
            Directory.CreateDirectory(copies);
            for (int i = 0; i < configFiles.Count; i++)
                File.Copy(configFiles[i], Path.Combine(copies, $"{i:D2}-{Path.GetFileName(configFiles[i])}"), overwrite: true);
            return;
        }
        catch (IOException) when (File.Exists(path)) { File.Delete(temporary); }
        JObject existing;
        try { existing = JObject.Parse(File.ReadAllText(path)); }
        catch (JsonReaderException) { throw new ArgumentException($"{path} is not a ShapingCluster run file"); }
        if ((string?)existing["kind"] != "population" || (int?)existing["versions"]?["format"] != Format)
            throw new ArgumentException($"{directory} holds another kind of run or a run of another format; choose another --out");
        // Compare as both read back from JSON text (durations and numbers normalised the same way).
        if (!JToken.DeepEquals(existing["population"], JToken.Parse(run["population"]!.ToString())))
            throw new ArgumentException($"{directory} holds a different population run ('{existing["population"]?["Name"]}'); choose another --out");
    }
}
