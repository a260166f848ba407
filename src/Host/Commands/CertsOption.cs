using System.CommandLine;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Commands;

/// <summary>--certs DIR: TLS with mutual authentication, with a directory made by `shaping certs`.</summary>
public static class CertsOption
{
    public static Option<string?> Create() => new("--certs")
    {
        Description = "certificate directory made by `shaping certs` (ca.crt, node.pfx): speak TLS; overrides shaping.node.tls.certs",
    };

    /// <summary>The certificates named by --certs, else by shaping.node.tls.certs; null for plain TCP.</summary>
    public static ClusterCertificates? Load(string? option, ShapingConfig config) =>
        (option ?? config.NodeCertificates) is { } directory ? ClusterCertificates.Load(directory) : null;
}
