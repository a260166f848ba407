using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Actor.Setup;
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
/// itself (the embedded default of `shaping train`); otherwise it joins the seeds (`shaping node`). How its port is
/// guarded is a <see cref="NodeSecurity"/>; a node that listens beyond loopback must speak TLS. Learners and the
/// arena live only on nodes whose population settings match this node's (<see cref="PopulationFingerprint"/>).
/// </summary>
public sealed class ShapingNode : IAsyncDisposable
{
    private readonly RefusalHolder _refusal;

    private ShapingNode(ActorSystem system, IActorRef learners, IActorRef arenaProxy, NodeSecurity security, PopulationFingerprint fingerprint, RefusalHolder refusal)
    {
        System = system;
        Learners = learners;
        ArenaProxy = arenaProxy;
        Security = security;
        Fingerprint = fingerprint;
        _refusal = refusal;
    }

    public ActorSystem System { get; }
    public IActorRef Learners { get; }
    public IActorRef ArenaProxy { get; }
    public NodeSecurity Security { get; }
    public PopulationFingerprint Fingerprint { get; }
    public string Address => ShapingPaths.NodeOf(System);

    /// <summary>Why this node left the cluster it tried to join, if it was refused: other population settings, or a
    /// peer's certificate that is not of this cluster.</summary>
    public string? Refusal => _refusal.Reason ?? (System.WhenTerminated.IsCompleted ? Security.Certificates?.LastRefusal : null);

    /// <param name="port">TCP port; 0 picks a free one.</param>
    /// <param name="seedNodes">"host:port" of the seed nodes; empty for a one-node cluster of this process alone.</param>
    /// <param name="extraConfig">HOCON placed over everything else (tests use it to shorten timings).</param>
    /// <param name="security">how the port is guarded; <see cref="NodeSecurity.Open"/> (loopback only) by default.</param>
    public static ShapingNode Start(ShapingConfig config, PopulationContext population, int port, IReadOnlyList<string> seedNodes,
        Config? extraConfig = null, NodeSecurity? security = null)
    {
        security ??= NodeSecurity.Open;
        string host = config.NodeHostname;
        CheckBinding(config, security);
        if (port != 0) CheckPortFree(host, port);
        var fingerprint = PopulationFingerprint.Of(config, population.Settings);
        var scheme = AddressScheme(config, extraConfig, security);
        var roles = string.Join(", ", fingerprint.Roles.Select(r => $"\"{r}\""));
        var node = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = "{{host}}", port = {{port}}, enable-ssl = {{(security.Certificates is null ? "off" : "on")}} }
            akka.remote.untrusted-mode = {{(security.IsEmbedded ? "on" : "off")}}
            akka.remote.trusted-selection-paths = ["{{ShapingPaths.Status}}"]
            akka.cluster.roles = [{{roles}}]
            # Joining is ShapingNode's (after the settings check): seed nodes in a user's file must not start it.
            akka.cluster.seed-nodes = []
            {{ShapingPaths.ComputeDispatcher}} {
              type = ForkJoinDispatcher
              throughput = 1
              dedicated-thread-pool.thread-count = {{config.ComputeThreads}}
            }
            """);
        // Checked before anything opens the journal for writing: a refused journal is left exactly as it was.
        Persistence.JournalRowCheck.Run(population.Persistence, population.RunDirectory, population.Settings.Name);
        population.Persistence.Prepare(population.RunDirectory);
        var akka = (extraConfig ?? Config.Empty).WithFallback(node).WithFallback(population.Persistence.AkkaConfig(population.RunDirectory))
            .WithFallback(config.Root)
            .WithFallback(ClusterSharding.DefaultConfig()).WithFallback(ClusterSingleton.DefaultConfig());
        var setup = BootstrapSetup.Create().WithConfig(akka);
        var system = security.Certificates is { } certificates
            ? ActorSystem.Create(ShapingPaths.SystemName, setup.And(certificates.SslSetup()))
            : ActorSystem.Create(ShapingPaths.SystemName, setup);
        var refusal = new RefusalHolder();
        system.ActorOf(Props.Create(() => new SettingsGuard(fingerprint, refusal.Record)), "settings-guard");
        var sharding = ClusterSharding.Get(system);
        // Only nodes of these very settings host learners and the arena.
        var shardingSettings = ClusterShardingSettings.Create(system).WithRole(fingerprint.Role);
        // The hand-off stop message lets a learner snapshot what it has not saved before it moves.
        var learners = sharding.Start(ShapingPaths.LearnerType,
            id => (FrozenVersion.TryParse(id, out _, out _)
                ? Props.Create(() => new FrozenVersionActor(id, population))
                : Props.Create(() => new LearnerActor(id, population, null))).WithDispatcher(ShapingPaths.ComputeDispatcher),
            shardingSettings, new LearnerMessageExtractor(), sharding.DefaultShardAllocationStrategy(shardingSettings), new LearnerActor.Stop());
        system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new ArenaSupervisor(population)), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(fingerprint.Role)), "arena");
        var proxy = system.ActorOf(ClusterSingletonProxy.Props(ShapingPaths.Arena, ClusterSingletonProxySettings.Create(system).WithRole(fingerprint.Role)), "arena-proxy");
        system.ActorOf(Props.Create(() => new NodeStatusActor(config.ComputeThreads)), "status");
        // Joining last: a node that is refused or gives up may stop its actor system at any moment after this.
        var cluster = Cluster.Get(system);
        if (seedNodes.Count == 0) cluster.Join(cluster.SelfAddress);
        else
        {
            var seeds = seedNodes.Select(s => Akka.Actor.Address.Parse($"{scheme}://{ShapingPaths.SystemName}@{s}")).ToList();
            if (RefusedBySeeds(system, seeds, fingerprint) is { } refused)
            {
                system.Terminate().Wait(TimeSpan.FromSeconds(10));
                throw new ShapingConfigException(refused);
            }
            cluster.JoinSeedNodes(seeds);
        }
        return new ShapingNode(system, learners, proxy, security, fingerprint, refusal);
    }

    /// <summary>How long a joining node waits for the seed nodes to say what settings they run (a busy seed answers
    /// late: 2 s was too short on a loaded 2-core machine).</summary>
    private static readonly TimeSpan SettingsQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Asks every seed node (but this one) for its settings at once: the line to refuse with if one that
    /// answers runs other settings; null if all that answered agree (a seed that is not up yet does not answer).</summary>
    private static string? RefusedBySeeds(ActorSystem system, IReadOnlyList<Akka.Actor.Address> seeds, PopulationFingerprint fingerprint)
    {
        var self = Cluster.Get(system).SelfAddress;
        var answers = seeds.Where(s => s != self).Select(seed => (Seed: seed, Answer: system.ActorSelection(new RootActorPath(seed) / "user" / "settings-guard")
            .Ask<SettingsGuard.Settings>(new SettingsGuard.GetSettings(), SettingsQueryTimeout))).ToList();
        try { Task.WaitAll(answers.Select(a => (Task)a.Answer).ToArray()); } catch (AggregateException) { } // unanswered seeds are tried by joining
        foreach (var (seed, answer) in answers.Where(a => a.Answer.IsCompletedSuccessfully))
            if (answer.Result.Hash != fingerprint.Hash)
                return $"the cluster at {seed.Host}:{seed.Port} runs settings {answer.Result.Hash} (population '{answer.Result.Population}', " +
                       $"game {answer.Result.Game}), this node {fingerprint}: start every node with the same --config (population, learners, game)";
        return null;
    }

    /// <summary>"akka.tcp", or with TLS "akka.ssl.tcp"; transport adapters (the tests' throttler, to cut a node off)
    /// are named too: akka.trttl.ssl.tcp.</summary>
    public static string AddressScheme(ShapingConfig config, Config? extraConfig, NodeSecurity security)
    {
        var adapters = (extraConfig ?? Config.Empty).WithFallback(config.Root).GetStringList("akka.remote.dot-netty.tcp.applied-adapters") ?? [];
        var transport = security.Certificates is null ? new[] { "tcp" } : ["ssl", "tcp"];
        return string.Join(".", new[] { "akka" }.Concat(adapters).Concat(transport));
    }

    /// <summary>A node that listens beyond loopback must speak TLS (callers check before they create anything).</summary>
    public static void CheckBinding(ShapingConfig config, NodeSecurity security)
    {
        string host = config.NodeHostname;
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            throw new ShapingConfigException($"shaping.node.hostname '{host}' is not a host name or IP address");
        if (security.Certificates is null && !IsLoopback(host))
            throw new ShapingConfigException($"shaping.node.hostname '{host}' is not a loopback address, and a node reachable from the network " +
                "must speak TLS: make certificates with `shaping certs --out DIR` and pass --certs DIR/NAME (or set shaping.node.tls.certs)");
    }

    /// <summary>"localhost" or a loopback IP address: only processes of this machine can connect.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private sealed class RefusalHolder
    {
        public string? Reason;

        public void Record(string reason) => Interlocked.CompareExchange(ref Reason, reason, null);
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
