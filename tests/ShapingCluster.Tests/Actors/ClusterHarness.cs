using Akka.Cluster;
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

    private ClusterHarness(PopulationContext population) => Population = population;

    public PopulationContext Population { get; }
    public IReadOnlyList<ShapingNode> Nodes => _nodes;
    public string RunDirectory => Population.RunDirectory;

    public static ClusterHarness Start(int nodes, PopulationSettings settings, string runDirectory)
    {
        var config = TestGames.Defaults;
        var harness = new ClusterHarness(new PopulationContext(config, settings, runDirectory));
        var first = ShapingNode.Start(config, harness.Population, 0, [], TestTimings);
        harness._nodes.Add(first);
        for (int i = 1; i < nodes; i++) harness._nodes.Add(ShapingNode.Start(config, harness.Population, 0, [first.Address], TestTimings));
        return harness;
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
            try { last = await _nodes[0].ArenaStatus(TimeSpan.FromSeconds(3)); }
            catch (Exception e) when (e is Akka.Actor.AskTimeoutException or TaskCanceledException) { }
            if (last?.Error is { } error) throw new InvalidOperationException($"the run stopped: {error}");
            if (last is not null && condition(last)) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the run did not {what} within {timeout}; last status: {(last is null ? "none" : $"{last.MatchesDone}/{last.MatchesPlanned}")}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes)) await node.System.Terminate();
    }
}

[CollectionDefinition("cluster", DisableParallelization = true)]
public sealed class ClusterCollection;
