using System.CommandLine;

namespace ShapingCluster.Host.Commands;

/// <summary>The --config option every command shares: HOCON files layered over the embedded defaults.</summary>
public static class ConfigOption
{
    public static Option<string[]> Create() => new("--config")
    {
        Description = "HOCON file(s) over the built-in defaults (games, learner settings); later files win",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };
}
