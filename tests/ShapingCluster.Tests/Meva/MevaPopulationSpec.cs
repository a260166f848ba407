using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Tests.Actors;
using Xunit.Abstractions;

namespace ShapingCluster.Tests.Meva;

/// <summary>MeVa members in a population on an in-process cluster: they learn from every match they play, whoever the
/// opponent (another MeVa member, an M-FOS member, a fresh naive learner), and survive the crash of the node they live
/// on as M-FOS members do (FaultToleranceSpec).</summary>
[Collection("cluster")]
public class MevaPopulationSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-meva-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig Config = TestGames.With(
        "shaping.learners.mfos.ppo.hidden = 16",
        "shaping.learners.meva { network.hidden = 16, td { updates = 5, minibatch = 128 } replay { capacity = 2048, per-match = 256 } }");

    private static PopulationSettings Population() => new()
    {
        Name = "meva-faults",
        Members = [.. Enumerable.Range(0, 4).Select(i => new MemberSpec($"meva-{i}", "meva", LearnsAcrossMatches: true)),
                   .. Enumerable.Range(0, 2).Select(i => new MemberSpec($"mfos-{i}", "mfos", LearnsAcrossMatches: true))],
        Pairing = Pairing.SelfPlay,
        Rounds = 8,
        Batch = 128,
        MetaSteps = 20,
        MaxParallelMatches = 3,
        MinNodes = 3,
        Lambda = new LambdaSchedule(1, 0.2),
    };

    [Fact]
    public async Task Meva_members_learn_across_matches_and_survive_the_crash_of_their_node_with_every_match_counted_once()
    {
        var settings = Population();
        long planned = new MatchSchedule(settings).TotalMatches();
        await using var cluster = ClusterHarness.Start(3, settings, _dir, config: Config);
        await cluster.AwaitUp(TimeSpan.FromSeconds(30));
        var before = await cluster.AwaitStatus(s => s.MatchesDone >= 6 && s.Learners?.Count == 6, TimeSpan.FromSeconds(120), "record 6 matches");
        var placed = before.Learners!;
        // Crash a node that holds a MeVa learner (a learner node if one does; the arena's node otherwise).
        bool HoldsMeva(int i) => placed.Any(l => l.Key.StartsWith("meva") && l.Value == cluster.Nodes[i].Address);
        int victim = new[] { 2, 1, 0 }.First(HoldsMeva);
        var lostNode = cluster.Nodes[victim].Address;
        var lostMembers = placed.Where(l => l.Value == lostNode).Select(l => l.Key).ToList();
        var clock = Stopwatch.StartNew();
        await cluster.Crash(victim);
        await cluster.AwaitStatus(s => lostMembers.All(m => s.Learners != null && s.Learners.TryGetValue(m, out var node) && node != lostNode),
            TimeSpan.FromSeconds(90), "bring the lost learners back");
        output.WriteLine($"crashed {lostNode} ({string.Join(" ", lostMembers)}) after {before.MatchesDone} matches; " +
                         $"its learners active again after {clock.Elapsed.TotalSeconds:F1} s");
        var final = await cluster.AwaitFinished(TimeSpan.FromSeconds(240));
        Assert.Equal(planned, final.MatchesDone);

        var lines = File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Select(JObject.Parse).ToList();
        Assert.Equal(planned, lines.Count);
        Assert.Equal(planned, lines.Select(l => (string)l["match"]!).Distinct().Count());
        // Every MeVa member learned (a TD loss reported) from several matches, and its learner persisted each of
        // them: a snapshot sequence number counts the matches learned since the run began, across the crash.
        var snapshots = SnapshotTable.NewestSequenceNumbers(_dir);
        foreach (var member in settings.Members.Where(m => m.Kind == "meva").Select(m => m.Id))
        {
            var learned = lines.SelectMany(l => new[] { ((string)l["row"]!, l["learning"]![0]!), ((string)l["col"]!, l["learning"]![1]!) })
                .Where(side => side.Item1 == member && side.Item2.Type == JTokenType.Object)
                .Select(side => (double)side.Item2["td-loss"]!).ToList();
            Assert.True(learned.Count >= 2, $"{member} learned from {learned.Count} matches");
            Assert.All(learned, loss => Assert.True(double.IsFinite(loss)));
            Assert.True(snapshots[$"{settings.Name}/learner/{member}"] >= learned.Count, $"{member}: snapshot {snapshots[$"{settings.Name}/learner/{member}"]}, learned {learned.Count}");
            output.WriteLine($"{member}: learned from {learned.Count} matches, TD loss {learned[0]:G3} → {learned[^1]:G3}");
        }
        Assert.Contains(lines, l => ((string)l["row"]!).StartsWith("meva") && ((string)l["col"]!).StartsWith("mfos")
                                    || ((string)l["row"]!).StartsWith("mfos") && ((string)l["col"]!).StartsWith("meva"));
    }
}
