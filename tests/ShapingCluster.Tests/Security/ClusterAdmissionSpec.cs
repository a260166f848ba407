using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Host.Commands;

namespace ShapingCluster.Tests.Security;

/// <summary>Issue 14: who may join a cluster. Only holders of a certificate from the cluster's authority get a TLS
/// connection at all; a node with other population settings is refused and told why, and never gets learners.</summary>
[Collection("cluster")]
public class ClusterAdmissionSpec : IDisposable
{
    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig SmallMfos = TestGames.Mfos(hidden: 8, learningRate: 2e-3);

    private static readonly Config FastTimings = ConfigurationFactory.ParseString("""
        akka.cluster.seed-node-timeout = 2s
        akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 6s
        akka.coordinated-shutdown.exit-clr = off
        akka.loglevel = ERROR
        """);

    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-admission-").FullName;
    private readonly List<ShapingNode> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes) node.System.Terminate().Wait(TimeSpan.FromSeconds(20));
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static PopulationSettings Population(string game) => new()
    {
        Name = "admission", Game = game, Members = TestGames.MfosMembers(2),
        Rounds = 1000, Batch = 16, MetaSteps = 3, MinNodes = 1,
    };

    private ShapingNode Start(PopulationSettings settings, string run, IReadOnlyList<string> seeds, NodeSecurity security)
    {
        var node = ShapingNode.Start(SmallMfos, new PopulationContext(SmallMfos, settings, Path.Combine(_dir, run)), 0, seeds, FastTimings, security);
        _nodes.Add(node);
        return node;
    }

    private static async Task AwaitMembersUp(ShapingNode node, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Cluster.Get(node.System).State.Members.Count(m => m.Status == MemberStatus.Up) != count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.Address} did not see {count} members up");
            await Task.Delay(100);
        }
    }

    private static async Task AwaitTerminated(ShapingNode node, string what)
    {
        var stopped = await Task.WhenAny(node.System.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(45)));
        Assert.True(stopped == node.System.WhenTerminated, what);
    }

    [Fact]
    public async Task A_node_with_another_authoritys_certificate_is_refused_and_one_with_the_right_certificate_joins()
    {
        CertsCommand.Write(Path.Combine(_dir, "ours"), ["seed", "joiner"], TimeSpan.FromDays(1));
        CertsCommand.Write(Path.Combine(_dir, "theirs"), ["intruder"], TimeSpan.FromDays(1));
        var ours = (string name) => NodeSecurity.Tls(ClusterCertificates.Load(Path.Combine(_dir, "ours", name)));
        var seed = Start(Population("ipd"), "run", [], ours("seed"));
        await AwaitMembersUp(seed, 1);
        var joiner = Start(Population("ipd"), "run", [seed.Address], ours("joiner"));
        await AwaitMembersUp(seed, 2);
        Assert.StartsWith("akka.ssl.tcp", Cluster.Get(joiner.System).SelfAddress.Protocol);

        var intruder = Start(Population("ipd"), "run", [seed.Address],
            NodeSecurity.Tls(ClusterCertificates.Load(Path.Combine(_dir, "theirs", "intruder"))));
        await AwaitTerminated(intruder, "the intruder did not give up joining");
        Assert.Contains("is not one of this cluster's", intruder.Refusal);
        Assert.Equal(2, Cluster.Get(seed.System).State.Members.Count);
        Assert.DoesNotContain(Cluster.Get(seed.System).State.Members, m => m.Address == Cluster.Get(intruder.System).SelfAddress);
    }

    [Fact]
    public void A_node_without_certificates_refuses_a_network_hostname()
    {
        var config = ShapingConfig.Load([WriteConfig("shaping.node.hostname = \"192.0.2.10\"")]);
        var error = Assert.Throws<ShapingConfigException>(() =>
            ShapingNode.Start(config, new PopulationContext(config, Population("ipd"), Path.Combine(_dir, "run")), 0, ["192.0.2.10:4051"]));
        Assert.Contains("not a loopback address", error.Message);
        Assert.Contains("shaping certs", error.Message);
    }

    [Fact]
    public async Task A_node_with_another_game_is_refused_before_it_joins_and_says_why()
    {
        var seed = Start(Population("ipd"), "run", [], NodeSecurity.Open);
        await AwaitMembersUp(seed, 1);
        var error = Assert.Throws<ShapingConfigException>(() => Start(Population("imp"), "rogue", [seed.Address], NodeSecurity.Open));
        Assert.Contains("game ipd", error.Message);
        Assert.Contains("game imp", error.Message);
        Assert.Single(Cluster.Get(seed.System).State.Members);
    }

    [Fact]
    public async Task A_node_without_the_settings_role_that_joins_without_asking_is_downed_and_never_comes_up()
    {
        var seed = Start(Population("ipd"), "run", [], NodeSecurity.Open);
        await AwaitMembersUp(seed, 1);
        var upSeen = new List<string>();
        var watcher = seed.System.ActorOf(Props.Create(() => new MemberUpRecorder(upSeen)));
        Cluster.Get(seed.System).Subscribe(watcher, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
        // A bare cluster member, as a node of another ShapingCluster version or a hand-made client would be: it asks
        // nothing before it joins and carries no settings role.
        var bare = ActorSystem.Create(ShapingPaths.SystemName, ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.coordinated-shutdown.exit-clr = off
            akka.loglevel = ERROR
            """).WithFallback(SmallMfos.Root));
        var bareAddress = Cluster.Get(bare).SelfAddress;
        Cluster.Get(bare).Join(Cluster.Get(seed.System).SelfAddress);
        var stopped = await Task.WhenAny(bare.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(45)));
        Assert.True(stopped == bare.WhenTerminated, "the node without settings was not downed");
        Assert.DoesNotContain(Cluster.Get(seed.System).State.Members, m => m.Address == bareAddress && m.Status == MemberStatus.Up);
        lock (upSeen) Assert.DoesNotContain($"{bareAddress.Host}:{bareAddress.Port}", upSeen);
    }

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_dir, $"c{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private sealed class MemberUpRecorder : ReceiveActor
    {
        public MemberUpRecorder(List<string> seen) =>
            Receive<ClusterEvent.MemberUp>(up => { lock (seen) seen.Add($"{up.Member.Address.Host}:{up.Member.Address.Port}"); });
    }
}
