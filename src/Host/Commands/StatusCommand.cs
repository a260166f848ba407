using System.CommandLine;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
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
        var json = new Option<bool>("--json") { Description = "print one JSON object with everything (every rating, where every learner lives)" };
        var top = new Option<int>("--top") { Description = "best-rated players shown", DefaultValueFactory = _ => 10 };
        var config = ConfigOption.Create();
        var certs = CertsOption.Create();
        var command = new Command("status", "show a running cluster: nodes and their load, progress, matches/s, the best-rated players, quarantines")
        {
            seeds, json, top, config, certs,
        };
        command.SetAction(p => CommandErrors.Guard(() => Run(SeedNodesOption.Parse(p.GetValue(seeds)), p.GetValue(json), p.GetValue(top),
            p.GetValue(config)!, p.GetValue(certs))));
        return command;
    }

    private static int Run(IReadOnlyList<string> seeds, bool json, int top, string[] configFiles, string? certsDirectory)
    {
        if (seeds.Count == 0) throw new ArgumentException("--seed-nodes names no node");
        if (top < 0) throw new ArgumentException($"--top must be ≥ 0, got {top}");
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
                    .Ask<NodeStatusActor.NodeStatus>(new NodeStatusActor.GetNodeStatus(top, Full: json), TimeSpan.FromSeconds(15)).Result;
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
            Console.WriteLine(StatusJson.Of(status));
            return ExitCodes.Ok;
        }
        Show(status);
        return ExitCodes.Ok;
    }

    private static void Show(NodeStatusActor.NodeStatus status)
    {
        var arena = status.Arena;
        var loads = status.Loads.ToDictionary(l => l.Node);
        var nodes = new Table().Title(Markup.Escape($"cluster as seen by {status.Node}")).AddColumn("node").AddColumn("status").AddColumn("reachable")
            .AddColumn(new TableColumn("learners").RightAligned()).AddColumn(new TableColumn("compute busy (30 s)").RightAligned());
        foreach (var m in status.Members)
        {
            int learners = arena?.MembersPerNode.GetValueOrDefault(m.Address) ?? 0;
            var busy = loads.TryGetValue(m.Address, out var l) && double.IsFinite(l.Utilisation) ? $"{100 * l.Utilisation:F0}% of {l.ComputeThreads}" : "?";
            nodes.AddRow(Markup.Escape(m.Address + (arena?.Node == m.Address ? " (arena)" : "")), m.Status, m.Reachable ? "yes" : "NO",
                learners.ToString(), busy);
        }
        AnsiConsole.Write(nodes);
        if (arena is null)
        {
            Console.WriteLine(status.ArenaError);
            return;
        }
        var state = arena.Error is not null ? $"stopped: {arena.Error}" : arena.Finished ? "finished" : arena.Started ? "running" : "waiting for nodes";
        Console.WriteLine($"{arena.Name}: {state}; round {Math.Min(arena.Round, arena.Rounds)}/{arena.Rounds}" +
                          (double.IsNaN(arena.Lambda) ? "" : $", λ {arena.Lambda:F3}") +
                          $"; {arena.Members} members, matches {arena.MatchesDone}/{arena.MatchesPlanned} ({arena.MatchesVoid} void), " +
                          $"{arena.Running.Count} running, {arena.MatchesPerSecond:F1} matches/s" +
                          (arena.FrozenVersions > 0 ? $", {arena.FrozenVersions} frozen versions in the league" : ""));
        if (arena.Quarantined.Count > 0)
            Console.WriteLine($"quarantined ({arena.Quarantined.Count}): " + string.Join("; ", arena.Quarantined.Take(10).Select(q => $"{q.Key}: {q.Value}")) +
                              (arena.Quarantined.Count > 10 ? "; ..." : ""));
        if (arena.Top.Count == 0) return;
        var ratings = new Table().Title(arena.RatingsFitted ? "best rated (fitted)" : "best rated (fit + online updates since)")
            .AddColumn("player").AddColumn(new TableColumn("rating").RightAligned());
        foreach (var r in arena.Top) ratings.AddRow(Markup.Escape(r.Player), r.Rating.ToString("F0"));
        AnsiConsole.Write(ratings);
    }
}
