using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Security;

/// <summary>
/// The attacker of the security review (issue 14): an Akka remote client that shares nothing with a node but the
/// actor system name `shaping` (and the project's message types, which are public). It is a cluster-provider system
/// that never joins, so it can speak Akka.Cluster's own protocol too. Every attack is sent twice: by actor selection
/// and to an actor reference resolved from the path (Akka's untrusted mode treats the two differently).
/// </summary>
public sealed class OutsiderProbe : IAsyncDisposable
{
    public const string ForgedMatch = "forged-by-outsider";
    public const string FakeMatch = "outsider-match";

    private readonly ActorSystem _system;
    private readonly string _scheme;

    private OutsiderProbe(ActorSystem system, string scheme)
    {
        _system = system;
        _scheme = scheme;
    }

    /// <param name="certificates">null: plain TCP; otherwise TLS with these (another authority's, or a leaked one).</param>
    public static OutsiderProbe Start(ClusterCertificates? certificates)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, enable-ssl = {{(certificates is null ? "off" : "on")}} }
            akka.actor.serializers.typed-json = "{{typeof(TypedJsonSerializer).AssemblyQualifiedName}}"
            akka.actor.serialization-bindings { "{{typeof(TypedJsonPayload).AssemblyQualifiedName}}" = typed-json }
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.coordinated-shutdown.exit-clr = off
            """).WithFallback(TestGames.Defaults.Root);
        var setup = BootstrapSetup.Create().WithConfig(config);
        var system = certificates is null ? ActorSystem.Create(ShapingPaths.SystemName, setup) : ActorSystem.Create(ShapingPaths.SystemName, setup.And(certificates.SslSetup()));
        return new OutsiderProbe(system, certificates is null ? "akka.tcp" : "akka.ssl.tcp");
    }

    /// <summary>Sends every attack of the review to the node at "host:port" (by selection, to resolved references,
    /// or both; with or without the Down); returns what it sent.</summary>
    public IReadOnlyList<string> Attack(string node, bool bySelection = true, bool byReference = true, bool down = true)
    {
        var host = node.Split(':');
        var target = new Address(_scheme, ShapingPaths.SystemName, host[0], int.Parse(host[1]));
        var plan = new MatchPlan(FakeMatch, 1, 1, SeatSpec.OfMember("mfos-0"), SeatSpec.Fresh("nl"));
        object[] toArena = [new ArenaActor.MatchCompleted(new MatchOutcome(ForgedMatch, 1, "mfos-0", "mfos-1", true, true, 123, -456, node, 1), "attempt-0")];
        object[] toLearners =
        [
            new LearnerActor.Begin("mfos-0", FakeMatch, FakeMatch, 1, Seat.Row),
            new LearnerActor.Finish("mfos-0", FakeMatch, Enumerable.Repeat(100f, 4096).ToArray()),
            new LearnerActor.HostMatch("mfos-1", plan, FakeMatch),
        ];
        // Akka.Cluster's own "down that node" command (internal, so built by reflection, as an attacker would).
        var downType = typeof(Akka.Cluster.Cluster).Assembly.GetType("Akka.Cluster.ClusterUserAction+Down", throwOnError: true)!;
        object[] toClusterDaemon = [Activator.CreateInstance(downType, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, null, [target], null)!];
        object[] toAnyone = [new TypedJsonPayload(), PoisonPill.Instance];
        var sent = new List<string>();
        void Send(string path, IEnumerable<object> messages)
        {
            foreach (var message in messages)
            {
                if (bySelection) _system.ActorSelection(new RootActorPath(target) / path.Trim('/').Split('/')).Tell(message);
                if (byReference) ((ExtendedActorSystem)_system).Provider.ResolveActorRef($"{target}{path}").Tell(message);
                sent.Add($"{message.GetType().Name} -> {path}");
            }
        }
        Send(ShapingPaths.ArenaProxy, toArena);
        Send(ShapingPaths.Arena + "/singleton", toArena);
        Send("/system/sharding/learner", toLearners);
        if (down) Send("/system/cluster/core/daemon", toClusterDaemon);
        Send(ShapingPaths.ArenaProxy, toAnyone);
        Send(ShapingPaths.Status, toAnyone[..1]);
        return sent;
    }

    /// <summary>`shaping status`'s question, by selection; null if no answer within the timeout.</summary>
    public async Task<NodeStatusActor.NodeStatus?> TryStatus(string node, TimeSpan timeout)
    {
        try
        {
            return await _system.ActorSelection($"{_scheme}://{ShapingPaths.SystemName}@{node}{ShapingPaths.Status}")
                .Ask<NodeStatusActor.NodeStatus>(new NodeStatusActor.GetNodeStatus(), timeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { return null; }
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();

}

/// <summary>A payload for serializer id 1 (Akka's JSON fallback) naming a type of the attacker's choice.</summary>
public sealed record TypedJsonPayload;

/// <summary>Writes <see cref="TypedJsonPayload"/> as Newtonsoft typed JSON under serializer id 1, as the review's
/// attacker did.</summary>
public sealed class TypedJsonSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string EvilType = "Evil.Gadget, EvilAssemblyChosenByAttacker";

    public override int Identifier => 1;

    public override string Manifest(object o) => EvilType;

    public override byte[] ToBinary(object obj) => Encoding.UTF8.GetBytes($$"""{"$type":"{{EvilType}}","Command":"touch /tmp/pwned"}""");

    public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException();
}
