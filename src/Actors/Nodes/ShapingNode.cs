using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// One ShapingCluster process in a cluster: the actor system, this node's shard region of learners, the arena
/// singleton's manager and proxy, and the status endpoint. With no seed nodes it forms a one-node cluster by
/// itself (the embedded default of `shaping train`); otherwise it joins the seeds (`shaping node`).
/// </summary>
public sealed class ShapingNode : IAsyncDisposable
{
    private ShapingNode(ActorSystem system, IActorRef learners, IActorRef arenaProxy)
    {
        System = system;
        Learners = learners;
        ArenaProxy = arenaProxy;
    }

    public ActorSystem System { get; }
    public IActorRef Learners { get; }
    public IActorRef ArenaProxy { get; }
    public string Address => ShapingPaths.NodeOf(System);

    /// <param name="port">TCP port; 0 picks a free one.</param>
    /// <param name="seedNodes">"host:port" of the seed nodes; empty for a one-node cluster of this process alone.</param>
    /// <param name="extraConfig">HOCON placed over everything else (tests use it to shorten timings).</param>
    public static ShapingNode Start(ShapingConfig config, PopulationContext population, int port, IReadOnlyList<string> seedNodes,
        Config? extraConfig = null)
    {
        string host = config.NodeHostname;
        if (port != 0) CheckPortFree(host, port);
        // With transport adapters (the tests' throttler, to cut a node off) the address scheme names them: akka.trttl.tcp.
        var adapters = (extraConfig ?? Config.Empty).WithFallback(config.Root).GetStringList("akka.remote.dot-netty.tcp.applied-adapters") ?? [];
        var scheme = string.Join(".", new[] { "akka" }.Concat(adapters).Append("tcp"));
        var seeds = string.Join(", ", seedNodes.Select(s => $"\"{scheme}://{ShapingPaths.SystemName}@{s}\""));
        var node = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = "{{host}}", port = {{port}} }
            akka.cluster.seed-nodes = [{{seeds}}]
            {{ShapingPaths.ComputeDispatcher}} {
              type = ForkJoinDispatcher
              throughput = 1
              dedicated-thread-pool.thread-count = {{config.ComputeThreads}}
            }
            """);
        population.Persistence.Prepare(population.RunDirectory);
        var akka = (extraConfig ?? Config.Empty).WithFallback(node).WithFallback(population.Persistence.AkkaConfig(population.RunDirectory))
            .WithFallback(config.Root)
            .WithFallback(ClusterSharding.DefaultConfig()).WithFallback(ClusterSingleton.DefaultConfig());
        var system = ActorSystem.Create(ShapingPaths.SystemName, akka);
        if (seedNodes.Count == 0) Cluster.Get(system).Join(Cluster.Get(system).SelfAddress);

        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        // The hand-off stop message lets a learner snapshot what it has not saved before it moves.
        var learners = sharding.Start(ShapingPaths.LearnerType,
            id => (FrozenVersion.TryParse(id, out _, out _)
                ? Props.Create(() => new FrozenVersionActor(id, population))
                : Props.Create(() => new LearnerActor(id, population, null))).WithDispatcher(ShapingPaths.ComputeDispatcher),
            shardingSettings, new LearnerMessageExtractor(), sharding.DefaultShardAllocationStrategy(shardingSettings), new LearnerActor.Stop());
        system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new ArenaSupervisor(population)), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system)), "arena");
        var proxy = system.ActorOf(ClusterSingletonProxy.Props(ShapingPaths.Arena, ClusterSingletonProxySettings.Create(system)), "arena-proxy");
        system.ActorOf(Props.Create(() => new NodeStatusActor(config.ComputeThreads)), "status");
        return new ShapingNode(system, learners, proxy);
    }

    public Task<ArenaActor.Status> ArenaStatus(TimeSpan timeout, int top = 10, bool full = false) =>
        ArenaProxy.Ask<ArenaActor.Status>(new ArenaActor.GetStatus(top, full), timeout);

    /// <summary>Leaves the cluster gracefully (hands the arena and shards to the other nodes) and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    /// <summary>A port in use is reported before Akka starts (it would only log and retry).</summary>
    private static void CheckPortFree(string host, int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Parse(host), port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException e) { throw new ShapingConfigException($"port {port} on {host} is not free: {e.Message}"); }
        catch (FormatException) { }
    }
}
