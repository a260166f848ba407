using System.CommandLine;

namespace ShapingCluster.Host.Commands;

/// <summary>--seed-nodes host:port,host:port (the same list on every node).</summary>
public static class SeedNodesOption
{
    public static Option<string> Create(bool required) => new("--seed-nodes")
    {
        Description = "comma-separated host:port of the cluster's seed nodes, e.g. 127.0.0.1:4051,127.0.0.1:4052",
        Required = required,
    };

    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var seeds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var seed in seeds)
        {
            var parts = seed.Split(':');
            if (parts.Length != 2 || Uri.CheckHostName(parts[0]) == UriHostNameType.Unknown || !int.TryParse(parts[1], out int port) || port is < 1 or > 65535)
                throw new ArgumentException($"--seed-nodes: '{seed}' is not host:port (a host name or IPv4 address, and a port 1..65535)");
        }
        return seeds;
    }
}
