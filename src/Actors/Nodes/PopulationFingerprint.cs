using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// A short hash of everything that must be equal on every node of one population run: the population settings as
/// the node will use them, every learner's settings, the published M-MAML tables and the definition of the run's game.
/// Per-machine settings (shaping.node, shaping.persistence, shaping.torch) are left out. Values are compared, not
/// text: key order and "1" versus "1.0" do not matter. Nodes carry it as a cluster role (<see cref="Role"/>), so a
/// node started with other settings is refused when it joins (<see cref="SettingsGuard"/>).
/// </summary>
public sealed record PopulationFingerprint(string Hash, string Population, string Game)
{
    public const string RolePrefix = "shaping-settings-";
    private const string DescriptionPrefix = "shaping-run-";

    public static PopulationFingerprint Of(ShapingConfig config, PopulationSettings settings)
    {
        // The settings object itself (every field, including ones added later), then the HOCON the learners read.
        var lines = new List<string> { "population=" + Newtonsoft.Json.JsonConvert.SerializeObject(settings) };
        foreach (var path in new[] { "shaping.learners", "shaping.mmaml-published", $"shaping.games.{settings.Game}" })
        {
            // Rendered with its fallbacks and parsed again: one tree with every resolved value and nothing else.
            var section = config.Root.GetConfig(path);
            if (section is null || section.IsEmpty) { lines.Add($"{path}=<none>"); continue; }
            Flatten(ConfigurationFactory.ParseString(section.ToString(includeFallback: true)).Root, path, lines);
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        return new PopulationFingerprint(Convert.ToHexStringLower(hash)[..16], settings.Name, settings.Game);
    }

    /// <summary>The cluster role that carries the hash.</summary>
    public string Role => RolePrefix + Hash;

    /// <summary>A second role naming the run, so that a refusal can say what differs when it is the obvious.</summary>
    public string DescriptionRole => $"{DescriptionPrefix}{Population}/{Game}";

    public IEnumerable<string> Roles => [Role, DescriptionRole];

    /// <summary>"hash 0123… (population p, game ipd)" for a member's roles; null hash if it carries none.</summary>
    public static (string? Hash, string Description) Read(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        var hash = list.FirstOrDefault(r => r.StartsWith(RolePrefix, StringComparison.Ordinal))?[RolePrefix.Length..];
        var run = list.FirstOrDefault(r => r.StartsWith(DescriptionPrefix, StringComparison.Ordinal))?[DescriptionPrefix.Length..].Split('/');
        var description = run is { Length: 2 } ? $"population '{run[0]}', game {run[1]}" : "no ShapingCluster population";
        return (hash, hash is null ? $"no settings hash ({description}; another ShapingCluster version?)" : $"settings {hash} ({description})");
    }

    public override string ToString() => $"settings {Hash} (population '{Population}', game {Game})";

    private static void Flatten(HoconValue value, string path, List<string> lines)
    {
        if (value.IsObject())
        {
            var items = value.GetObject().Items;
            if (items.Count == 0) lines.Add($"{path}={{}}");
            foreach (var (key, child) in items.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Flatten(child, $"{path}.{key}", lines);
        }
        else if (value.IsArray())
        {
            var items = value.GetArray();
            if (items.Count == 0) lines.Add($"{path}=[]");
            for (int i = 0; i < items.Count; i++) Flatten(items[i], $"{path}[{i}]", lines);
        }
        else
        {
            var text = value.GetString() ?? "";
            lines.Add(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? $"{path}={number.ToString("R", CultureInfo.InvariantCulture)}"
                : $"{path}={text}");
        }
    }
}
