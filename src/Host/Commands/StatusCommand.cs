using System.CommandLine;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Newtonsoft.Json;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping status`: asks the first seed node that answers for the cluster's members, where each learner lives,
/// the run's progress and the ratings. It connects as a remote client, not as a cluster member, so asking never
/// changes the cluster. A TLS cluster answers only a client with a certificate from its authority (--certs).
/// The embedded one-node runs of `train` and `resume` answer nobody: they print their own progress.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var seeds = SeedNodesOption.Create(required: true);
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var config = ConfigOption.Create();
        var certs = CertsOption.Create();
        var command = new Command("status", "show a running cluster: members, learners, progress, ratings") { seeds, json, config, certs };
        command.SetAction(p => CommandErrors.Guard(() => Run(SeedNodesOption.Parse(p.GetValue(seeds)), p.GetValue(json), p.GetValue(config)!, p.GetValue(certs))));
        return command;
    }

    private static int Run(IReadOnlyList<string> seeds, bool json, string[] configFiles, string? certsDirectory)
    {
        if (seeds.Count == 0) throw new ArgumentException("--seed-nodes names no node");
        var config = ShapingConfig.Load(configFiles);
        var certificates = CertsOption.Load(certsDirectory, config);
        var client = ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp {"{"} hostname = "{config.NodeHostname}", port = 0, enable-ssl = {(certificates is null ? "off" : "on")} {"}"}
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            """).WithFallback(config.Root);
        var setup = BootstrapSetup.Create().WithConfig(client);
        using var system = certificates is null ? ActorSystem.Create("shaping-status", setup) : ActorSystem.Create("shaping-status", setup.And(certificates.SslSetup()));
        var scheme = certificates is null ? "akka.tcp" : "akka.ssl.tcp";
        NodeStatusActor.NodeStatus? status = null;
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            try
            {
                status = system.ActorSelection($"{scheme}://{ShapingPaths.SystemName}@{seed}{ShapingPaths.Status}")
                    .Ask<NodeStatusActor.NodeStatus>(new NodeStatusActor.GetNodeStatus(), TimeSpan.FromSeconds(10)).Result;
                break;
            }
            catch (AggregateException) { failures.Add(seed); }
        }
        system.Terminate().Wait(TimeSpan.FromSeconds(5));
        if (status is null)
        {
            var tls = certificates?.LastRefusal is { } refused ? $"; TLS: refused {refused}"
                : certificates is null ? " (a TLS cluster answers only with --certs)" : "";
            Console.Error.WriteLine($"shaping: no node answered at {string.Join(", ", failures)} (is the cluster running? are these its seed nodes?){tls}");
            return ExitCodes.Failed;
        }
        if (json)
        {
            Console.WriteLine(JsonConvert.SerializeObject(status, Formatting.None, new JsonSerializerSettings { FloatFormatHandling = FloatFormatHandling.Symbol }));
            return ExitCodes.Ok;
        }
        Show(status);
        return ExitCodes.Ok;
    }

    private static void Show(NodeStatusActor.NodeStatus status)
    {
        var members = new Table().Title(Markup.Escape($"cluster as seen by {status.Node}")).AddColumn("node").AddColumn("status").AddColumn("reachable").AddColumn("learners");
        var arena = status.Arena;
        foreach (var m in status.Members)
        {
            var learners = arena is null ? "" : string.Join(" ", arena.Learners.Where(l => l.Value == m.Address).Select(l => l.Key).Order());
            members.AddRow(Markup.Escape(m.Address), m.Status, m.Reachable ? "yes" : "NO",
                Markup.Escape(learners + (arena?.Node == m.Address ? "  (arena)" : "")));
        }
        AnsiConsole.Write(members);
        if (arena is null)
        {
            Console.WriteLine(status.ArenaError);
            return;
        }
        var state = arena.Error is not null ? $"stopped: {arena.Error}" : arena.Finished ? "finished" : arena.Started ? "running" : "waiting for nodes";
        Console.WriteLine($"{arena.Name}: {state}; round {Math.Min(arena.Round, arena.Rounds)}/{arena.Rounds}" +
                          (double.IsNaN(arena.Lambda) ? "" : $", λ {arena.Lambda:F3}") +
                          $", matches {arena.MatchesDone}/{arena.MatchesPlanned}, running: {string.Join(" ", arena.Running)}");
        var ratings = new Table().AddColumn("player").AddColumn(new TableColumn("rating").RightAligned());
        foreach (var (player, rating) in arena.Ratings.OrderByDescending(r => r.Value)) ratings.AddRow(Markup.Escape(player), rating.ToString("F0"));
        AnsiConsole.Write(ratings);
    }
}
