using System.CommandLine;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Host.Web;

namespace ShapingCluster.Host.Commands;

/// <summary>`shaping node`: one node of a population cluster. Every node gets the same --config and --seed-nodes;
/// the arena starts the run once shaping.population.min-nodes nodes are up. With --certs (or shaping.node.tls.certs)
/// nodes speak TLS with mutual authentication; without, the node must listen on loopback.</summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        config.Required = true;
        var port = new Option<int>("--port") { Description = "TCP port of this node (0 = any free port)", Required = true };
        var seeds = SeedNodesOption.Create(required: true);
        var output = new Option<string>("--out") { Description = "run directory (nodes of one machine may share it)", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "no live progress, one line per recorded match" };
        var stay = new Option<bool>("--stay") { Description = "keep the node up after the run finished" };
        var certs = CertsOption.Create();
        var http = HttpOption.Create();
        var command = new Command("node", "start a node of a population cluster (shaping.population in --config)")
        {
            config, port, seeds, output, quiet, stay, certs, http,
        };
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var files = p.GetValue(config)!;
            var loaded = ShapingConfig.Load(files);
            if (!loaded.DescribesPopulation) throw new ArgumentException("--config must set shaping.population (see hocon/experiments/population-*.conf)");
            int portNumber = p.GetValue(port);
            if (portNumber is < 0 or > 65535) throw new ArgumentException($"--port must be 0..65535, got {portNumber}");
            var certificates = CertsOption.Load(p.GetValue(certs), loaded);
            var dashboard = HttpOption.Parse(p.GetValue(http), certificates);
            return PopulationHost.Run(loaded, files, [], p.GetValue(output)!, portNumber, SeedNodesOption.Parse(p.GetValue(seeds)),
                p.GetValue(quiet), p.GetValue(stay), certificates is null ? NodeSecurity.Open : NodeSecurity.Tls(certificates), dashboard);
        }));
        return command;
    }
}
