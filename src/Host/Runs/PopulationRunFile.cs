using Newtonsoft.Json.Linq;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// run.json of a population run (<see cref="RunFile"/>). Every node of a machine may share one run directory, so
/// the first node writes it and the others check that it describes the same population: the same population
/// settings and the same settings of every learner kind it plays (a directory holding another run is refused,
/// never overwritten).
/// </summary>
public static class PopulationRunFile
{
    public static void CreateOrCheck(string directory, JObject settings, string resolvedHocon, long seed,
        IReadOnlyList<string> configFiles, IReadOnlyList<string> overrides)
    {
        var run = RunFile.Describe("population", "population", settings, seed, resolvedHocon, configFiles);
        if (RunFile.TryCreate(directory, run, configFiles, overrides)) return;
        var existing = RunFile.Read(directory);
        if (RunFile.KindOf(existing) != "population" || (int?)existing["versions"]?["format"] != RunFile.Format)
            throw new ArgumentException($"{directory} holds another kind of run or a run of another format; choose another --out");
        // Compare as both read back from JSON text (durations and numbers normalised the same way).
        if (!JToken.DeepEquals(existing["population"], JToken.Parse(settings.ToString())))
            throw new ArgumentException($"{directory} holds a different population run ('{existing["population"]?["settings"]?["Name"]}'); choose another --out");
    }
}
