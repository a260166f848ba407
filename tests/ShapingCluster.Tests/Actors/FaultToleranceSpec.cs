using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Algorithms.Population;
using Xunit.Abstractions;

namespace ShapingCluster.Tests.Actors;

/// <summary>Crashes and restarts of in-process clusters on a shared SQLite journal: the stories of issue 5.</summary>
[Collection("cluster")]
public class FaultToleranceSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-faults-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig Config = TestGames.Mfos(hidden: 16, learningRate: 2e-3);

    private static PopulationSettings Population(int minNodes) => new()
    {
        Name = "faults",
        Members = TestGames.MfosMembers(6),
        Pairing = Pairing.SelfPlay,
        Rounds = 8,
        Batch = 128,
        MetaSteps = 20,
        MaxParallelMatches = 3,
        MinNodes = minNodes,
        Lambda = new LambdaSchedule(1, 0.2),
    };

    private (List<JObject> Lines, JObject Board) Results() =>
        (File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Select(JObject.Parse).ToList(),
         JObject.Parse(File.ReadAllText(Path.Combine(_dir, ScoreboardFile.FileName))));

    private void AssertEveryMatchOnce(long planned)
    {
        var (lines, board) = Results();
        Assert.True((bool)board["finished"]!);
        Assert.Equal(planned, (int)board["matchesDone"]!);
        Assert.Equal(planned, lines.Count);
        Assert.Equal(planned, lines.Select(l => (string)l["match"]!).Distinct().Count());
    }

    /// <summary>Newest snapshot sequence number per learner in the snapshot store.</summary>
    /// <summary>TLS between the nodes (issue 14), with certificates made as `shaping certs` makes them.</summary>
    private NodeSecurity Tls()
    {
        var certs = Path.Combine(_dir, "certs");
        ShapingCluster.Host.Commands.CertsCommand.Write(certs, ["node"], TimeSpan.FromDays(1));
        return NodeSecurity.Tls(ClusterCertificates.Load(Path.Combine(certs, "node")));
    }

    [Theory]
    [InlineData(0, false)] // the oldest node: it hosts the arena
    [InlineData(2, true)]  // a learner node, with TLS between the nodes
    public async Task The_run_survives_a_crashed_node_with_every_match_counted_once(int victim, bool tls)
    {
        var settings = Population(minNodes: 3);
        long planned = new MatchSchedule(settings).TotalMatches();
        await using var cluster = ClusterHarness.Start(3, settings, _dir, config: Config, security: tls ? Tls() : null);
        await cluster.AwaitUp(TimeSpan.FromSeconds(30));
        var before = await cluster.AwaitStatus(s => s.MatchesDone >= 6 && s.Learners!.Count == 6, TimeSpan.FromSeconds(120), "record 6 matches");
        var lostNode = cluster.Nodes[victim].Address;
        var lostMembers = before.Learners!.Where(l => l.Value == lostNode).Select(l => l.Key).ToList();
        var clock = Stopwatch.StartNew();
        await cluster.Crash(victim);
        // Every member that lived on the dead node is active again on a survivor.
        await cluster.AwaitStatus(s => lostMembers.All(m => s.Learners!.TryGetValue(m, out var node) && node != lostNode),
            TimeSpan.FromSeconds(90), "bring the lost learners back");
        output.WriteLine($"crashed {lostNode} ({(victim == 0 ? "arena" : "learners")}: {string.Join(" ", lostMembers)}) after " +
                         $"{before.MatchesDone} matches; all learners active again after {clock.Elapsed.TotalSeconds:F1} s");
        var final = await cluster.AwaitFinished(TimeSpan.FromSeconds(180));
        Assert.Equal(planned, final.MatchesDone);
        AssertEveryMatchOnce(planned);
        Assert.DoesNotContain(Results().Lines, l => (string)l["node"]! == lostNode && (DateTime)l["recorded"]! > DateTime.UtcNow);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // TLS between the nodes
    public async Task A_partitioned_node_downs_itself_and_the_majority_finishes_the_run_with_every_match_once(bool tls)
    {
        var settings = Population(minNodes: 3);
        long planned = new MatchSchedule(settings).TotalMatches();
        await using var cluster = ClusterHarness.Start(3, settings, _dir, partitionable: true, config: Config, security: tls ? Tls() : null);
        await cluster.AwaitUp(TimeSpan.FromSeconds(30));
        await cluster.AwaitStatus(s => s.MatchesDone >= 6 && s.Learners!.Count == 6, TimeSpan.FromSeconds(120), "record 6 matches");
        var clock = Stopwatch.StartNew();
        await cluster.Partition(2);
        var cutOff = cluster.Detach(2);
        // keep-majority: the two connected nodes down the third, which downs itself and stops its actor system.
        Assert.True(await Task.WhenAny(cutOff.System.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(90))) == cutOff.System.WhenTerminated,
            "the cut-off node did not stop itself");
        output.WriteLine($"partitioned node stopped itself after {clock.Elapsed.TotalSeconds:F1} s");
        var final = await cluster.AwaitFinished(TimeSpan.FromSeconds(180));
        Assert.Equal(planned, final.MatchesDone);
        AssertEveryMatchOnce(planned);
    }

    [Fact]
    public async Task A_full_restart_continues_from_the_journal_to_the_same_match_count_and_snapshots_never_go_back()
    {
        var settings = Population(minNodes: 1);
        long planned = new MatchSchedule(settings).TotalMatches();
        await using (var first = ClusterHarness.Start(1, settings, _dir, config: Config))
        {
            await first.AwaitStatus(s => s.MatchesDone >= 8, TimeSpan.FromSeconds(120), "record 8 matches");
            await first.Crash(0);
        }
        var beforeRestart = SnapshotTable.NewestSequenceNumbers(_dir);
        int recordedBefore = File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Length;
        await using (var second = ClusterHarness.Start(1, settings, _dir, config: Config))
            await second.AwaitFinished(TimeSpan.FromSeconds(180));
        AssertEveryMatchOnce(planned);
        var after = SnapshotTable.NewestSequenceNumbers(_dir);
        foreach (var (learner, sequence) in beforeRestart) Assert.True(after[learner] >= sequence, $"{learner}: {sequence} → {after[learner]}");
        output.WriteLine($"{recordedBefore} matches before the crash, {planned} after the restart");
    }
}
