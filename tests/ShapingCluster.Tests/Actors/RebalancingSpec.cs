using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Algorithms.Population;
using Xunit.Abstractions;

namespace ShapingCluster.Tests.Actors;

/// <summary>A node that joins a running cluster receives learners (sharding rebalances them to it, each learner
/// snapshotting on hand-off), and the run still ends with every planned match once.</summary>
[Collection("cluster")]
public sealed class RebalancingSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-rebalance-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_node_joining_mid_run_receives_learners_and_the_run_ends_with_every_match_once()
    {
        var settings = new PopulationSettings
        {
            // Long enough that the run outlasts the rebalancing (a learner moved 3.8 s after the node joined, once the
            // faster play loop had finished a 40-round run of 10 meta-steps by then): about 30 s of matches here.
            Name = "rebalance", Members = TestGames.MfosMembers(8), Pairing = Pairing.SelfPlay, Rounds = 120, Batch = 64, MetaSteps = 20,
            MaxParallelMatches = 2, MinNodes = 2, Lambda = new LambdaSchedule(1, 0.1),
        };
        var config = TestGames.With("shaping.learners.mfos.ppo { hidden = 16 }", "akka.cluster.sharding.rebalance-interval = 2s");
        long planned = new MatchSchedule(settings).TotalMatches();
        await using var cluster = ClusterHarness.Start(2, settings, _dir, config: config);
        await cluster.AwaitUp(TimeSpan.FromSeconds(30));
        await cluster.AwaitStatus(s => s.MatchesDone >= 4, TimeSpan.FromSeconds(120), "record 4 matches");
        var joined = cluster.AddNode();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var moved = await cluster.AwaitStatus(s => s.Learners!.Values.Contains(joined.Address), TimeSpan.FromSeconds(120), "move a learner to the new node");
        output.WriteLine($"the joining node {joined.Address} had {moved.Learners!.Values.Count(n => n == joined.Address)} learners " +
                         $"{clock.Elapsed.TotalSeconds:F1} s after it started, at match {moved.MatchesDone} of {planned}");
        var final = await cluster.AwaitFinished(TimeSpan.FromSeconds(240));
        Assert.Equal(planned, final.MatchesDone);
        var lines = File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Select(JObject.Parse).ToList();
        Assert.Equal(planned, lines.Count);
        Assert.Equal(planned, lines.Select(l => (string)l["match"]!).Distinct().Count());
        Assert.Contains(lines, l => (string)l["node"]! == joined.Address); // matches ran on the new node too
    }
}
