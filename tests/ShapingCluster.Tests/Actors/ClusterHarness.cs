using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.Remote.Transport;
using Akka.Configuration;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

/// <summary>
/// N ShapingCluster nodes in this test process, on loopback ports chosen by the OS, sharing one run directory:
/// the first node seeds the cluster, the others join it. Timings are shortened for tests.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    private static readonly Config TestTimings = ConfigurationFactory.ParseString("""
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.seed-node-timeout = 2s
        akka.coordinated-shutdown.exit-clr = off
        # Terminate() is then a crash: the node vanishes without leaving and the others must down it.
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        """);

    private readonly List<ShapingNode> _nodes = [];
    private readonly List<ShapingNode> _detached = [];

    private ShapingConfig _config = null!;
    private Config _timings = TestTimings;

    private ClusterHarness(PopulationContext population, NodeSecurity security)
    {
        Population = population;
        Security = security;
    }

    public NodeSecurity Security { get; }

    public PopulationContext Population { get; }
    public IReadOnlyList<ShapingNode> Nodes => _nodes;
    public string RunDirectory => Population.RunDirectory;

    /// <param name="partitionable">route traffic through Akka's throttler adapter so that <see cref="Partition"/> can cut links.</param>
    /// <param name="security">how the nodes' ports are guarded (plain loopback TCP by default; or TLS between them).</param>
    public static ClusterHarness Start(int nodes, PopulationSettings settings, string runDirectory, bool partitionable = false,
        ShapingConfig? config = null, NodeSecurity? security = null)
    {
        security ??= NodeSecurity.Open;
        config ??= TestGames.Defaults;
        var timings = partitionable
            ? ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.applied-adapters = [trttl]").WithFallback(TestTimings)
            : TestTimings;
        var harness = new ClusterHarness(new PopulationContext(config, settings, runDirectory), security) { _config = config, _timings = timings };
        var first = ShapingNode.Start(config, harness.Population, 0, [], timings, security);
        harness._nodes.Add(first);
        for (int i = 1; i < nodes; i++) harness._nodes.Add(ShapingNode.Start(config, harness.Population, 0, [first.Address], timings, security));
        return harness;
    }

    /// <summary>Starts one more node that joins the running cluster through the first node.</summary>
    public ShapingNode AddNode()
    {
        var node = ShapingNode.Start(_config, Population, 0, [_nodes[0].Address], _timings, Security);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Blackholes all traffic between node <paramref name="index"/> and every other node (both directions):
    /// a network partition. The node stays alive; the split-brain resolver has to deal with it.</summary>
    public async Task Partition(int index)
    {
        var isolated = _nodes[index];
        var transport = ((RemoteActorRefProvider)((ExtendedActorSystem)isolated.System).Provider).Transport;
        foreach (var peer in _nodes.Where(n => n != isolated))
        {
            var address = Cluster.Get(peer.System).SelfAddress;
            // The throttler addresses peers by the transport under it: akka.tcp, or akka.ssl.tcp with TLS.
            var protocol = Security.Certificates is null ? "akka.tcp" : "akka.ssl.tcp";
            await transport.ManagementCommand(new SetThrottle(new Address(protocol, address.System, address.Host, address.Port),
                ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
        }
    }

    /// <summary>Forgets a node that was cut off (it downs itself); returns it for inspection.</summary>
    public ShapingNode Detach(int index)
    {
        var node = _nodes[index];
        _nodes.RemoveAt(index);
        _detached.Add(node);
        return node;
    }

    /// <summary>Kills node <paramref name="index"/> without leaving the cluster (as kill -9 would).</summary>
    public async Task Crash(int index)
    {
        var victim = _nodes[index];
        _nodes.RemoveAt(index);
        await victim.System.Terminate();
    }

    /// <summary>Waits until every node sees all nodes up.</summary>
    public async Task AwaitUp(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_nodes.All(n => Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up) == _nodes.Count))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the {_nodes.Count} nodes did not all come up within {timeout}");
            await Task.Delay(200);
        }
    }

    /// <summary>Polls the arena (through the first node) until the run has finished; returns its final status.</summary>
    public Task<ArenaActor.Status> AwaitFinished(TimeSpan timeout) => AwaitStatus(s => s.Finished, timeout, "finish");

    /// <summary>Polls the arena (through the first live node) until <paramref name="condition"/> holds.</summary>
    public async Task<ArenaActor.Status> AwaitStatus(Func<ArenaActor.Status, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        ArenaActor.Status? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try { last = await _nodes[0].ArenaStatus(TimeSpan.FromSeconds(3), full: true); }
            catch (Exception e) when (e is Akka.Actor.AskTimeoutException or TaskCanceledException) { }
            if (last?.Error is { } error) throw new InvalidOperationException($"the run stopped: {error}");
            if (last is not null && condition(last)) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the run did not {what} within {timeout}; last status: {(last is null ? "none" : $"{last.MatchesDone}/{last.MatchesPlanned}")}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes).Concat(_detached)) await node.System.Terminate();
    }
}

[CollectionDefinition("cluster", DisableParallelization = true)]
public sealed class ClusterCollection;
