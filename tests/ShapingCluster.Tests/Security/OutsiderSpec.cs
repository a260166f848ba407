using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Host.Commands;
using Xunit.Abstractions;

namespace ShapingCluster.Tests.Security;

/// <summary>Issue 14, the review's attacks replayed by <see cref="OutsiderProbe"/> against an embedded node and a TLS
/// cluster: a typed-JSON payload, a forged result, a learner driven through a match that does not exist, a PoisonPill
/// and Akka.Cluster's Down. None may have any effect: the run finishes with exactly its planned matches, nothing
/// made up in matches.jsonl or the journal, and the nodes stay up.</summary>
[Collection("cluster")]
public class OutsiderSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig SmallMfos = TestGames.Mfos(hidden: 8, learningRate: 2e-3);

    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.coordinated-shutdown.exit-clr = off
        akka.cluster.seed-node-timeout = 2s
        """);

    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-outsider-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static PopulationSettings Population(int minNodes) => new()
    {
        Name = "probed", Members = TestGames.MfosMembers(2), Pairing = Pairing.SelfPlay,
        Rounds = 8, Batch = 32, MetaSteps = 5, MinNodes = minNodes,
        Lambda = new LambdaSchedule(1, 0.2),
    };

    private ShapingNode Start(int minNodes, IReadOnlyList<string> seeds, NodeSecurity security) =>
        ShapingNode.Start(SmallMfos, new PopulationContext(SmallMfos, Population(minNodes), _dir), 0, seeds, Quiet, security);

    private static async Task<ArenaActor.Status> AwaitStatus(ShapingNode node, Func<ArenaActor.Status, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await node.ArenaStatus(TimeSpan.FromSeconds(3));
                if (condition(status)) return status;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the run did not {what}");
    }

    /// <summary>Plain TCP, and TLS with a certificate of another authority: both get nothing.</summary>
    private async Task AttackFromOutside(string node)
    {
        var others = Path.Combine(_dir, "attacker-certs");
        if (!Directory.Exists(others)) CertsCommand.Write(others, ["attacker"], TimeSpan.FromDays(1));
        foreach (var certificates in new[] { null, ClusterCertificates.Load(Path.Combine(others, "attacker")) })
        {
            await using var probe = OutsiderProbe.Start(certificates);
            var sent = probe.Attack(node);
            var status = await probe.TryStatus(node, TimeSpan.FromSeconds(3));
            output.WriteLine($"outsider ({(certificates is null ? "plain TCP" : "TLS, another authority")}) sent {sent.Count}: " +
                             $"{string.Join("; ", sent)}; status answered: {status is not null}");
            Assert.Null(status);
        }
    }

    private void AssertUntouched(ArenaActor.Status final, long planned)
    {
        Assert.True(final.Finished);
        Assert.Equal(planned, final.MatchesDone);
        var lines = File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName));
        Assert.Equal(planned, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains(OutsiderProbe.ForgedMatch) || l.Contains("-456"));
        using var journal = new SqliteConnection($"Data Source={Path.Combine(_dir, PersistenceSettings.JournalFile)}");
        journal.Open();
        using var query = journal.CreateCommand();
        query.CommandText = "SELECT count(*) FROM journal WHERE instr(message, CAST('outsider' AS BLOB)) > 0";
        Assert.Equal(0L, (long)query.ExecuteScalar()!);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "EvilAssemblyChosenByAttacker");
    }

    [Fact]
    public async Task An_embedded_node_answers_no_outsider_and_its_run_is_untouched()
    {
        long planned = new MatchSchedule(Population(1)).TotalMatches();
        var node = Start(1, [], NodeSecurity.Embedded());
        try
        {
            await AwaitStatus(node, s => s.Started, "start");
            await AttackFromOutside(node.Address);
            var final = await AwaitStatus(node, s => s.Finished, "finish");
            Assert.False(node.System.WhenTerminated.IsCompleted, "the node went down");
            AssertUntouched(final, planned);
        }
        finally { await node.System.Terminate(); }
    }

    [Fact]
    public async Task A_tls_cluster_answers_no_outsider_and_its_run_is_untouched_while_a_client_with_its_certificate_reads_status()
    {
        long planned = new MatchSchedule(Population(2)).TotalMatches();
        var certs = Path.Combine(_dir, "cluster-certs");
        CertsCommand.Write(certs, ["node"], TimeSpan.FromDays(1));
        var tls = NodeSecurity.Tls(ClusterCertificates.Load(Path.Combine(certs, "node")));
        var seed = Start(2, [], tls);
        var second = Start(2, [seed.Address], tls);
        try
        {
            await AwaitStatus(seed, s => s.Started, "start");
            await AttackFromOutside(seed.Address);
            await AttackFromOutside(second.Address);
            // The same probe with the cluster's own certificate is `shaping status`: it gets an answer.
            await using (var member = OutsiderProbe.Start(ClusterCertificates.Load(Path.Combine(certs, "node"))))
                Assert.NotNull(await member.TryStatus(seed.Address, TimeSpan.FromSeconds(10)));
            var final = await AwaitStatus(seed, s => s.Finished, "finish");
            Assert.False(seed.System.WhenTerminated.IsCompleted || second.System.WhenTerminated.IsCompleted, "a node went down");
            AssertUntouched(final, planned);
        }
        finally
        {
            await second.System.Terminate();
            await seed.System.Terminate();
        }
    }
}
