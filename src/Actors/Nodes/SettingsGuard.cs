using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// Keeps nodes of different population settings apart (Akka.NET has no join-time configuration check). A node about
/// to join asks the seed nodes' guards for their settings (<see cref="GetSettings"/>) and refuses itself if they
/// differ, before it joins. Every node also carries its <see cref="PopulationFingerprint"/> as a cluster role, for
/// nodes that join without asking (another version, or no seed answered in time): a member of the cluster that sees a node with
/// another fingerprint join downs it at once, with one warning naming both; a joining node that finds the cluster's
/// members with another fingerprint records why and leaves, so its process can exit with that line. Learners and the
/// arena are also confined to nodes of this node's role (ShapingNode), so a node that slipped through would be
/// given neither.
/// </summary>
public sealed class SettingsGuard : ReceiveActor
{
    /// <summary>Answered with <see cref="Settings"/>.</summary>
    public sealed record GetSettings : IShapingMessage;

    public sealed record Settings(string Hash, string Population, string Game) : IShapingMessage;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly PopulationFingerprint _fingerprint;
    private readonly Action<string> _refused;
    private bool _leaving;

    public SettingsGuard(PopulationFingerprint fingerprint, Action<string> refused)
    {
        _fingerprint = fingerprint;
        _refused = refused;
        Receive<ClusterEvent.IMemberEvent>(e => Check(e.Member));
        Receive<GetSettings>(_ => Sender.Tell(new Settings(fingerprint.Hash, fingerprint.Population, fingerprint.Game)));
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Check(Member other)
    {
        if (_leaving) return;
        if (other.UniqueAddress.Equals(_cluster.SelfUniqueAddress))
        {
            // Now a member itself: decide about the nodes that joined while neither was one.
            if (other.Status == MemberStatus.Up)
                foreach (var member in _cluster.State.Members.Where(m => !m.UniqueAddress.Equals(_cluster.SelfUniqueAddress))) Check(member);
            return;
        }
        if (other.Status is MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting) return;
        var (hash, described) = PopulationFingerprint.Read(other.Roles);
        if (hash == _fingerprint.Hash) return;
        var self = _cluster.State.Members.FirstOrDefault(m => m.UniqueAddress.Equals(_cluster.SelfUniqueAddress));
        bool selfIsMember = self is { Status: MemberStatus.Up or MemberStatus.WeaklyUp };
        bool otherIsMember = other.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving;
        // The cluster as it was wins: a member refuses a newcomer; a newcomer refuses itself; of two members the older stays.
        bool refuseSelf = !selfIsMember ? otherIsMember : otherIsMember && other.IsOlderThan(self!);
        if (refuseSelf)
        {
            _leaving = true;
            _refused($"node {ShapingPaths.NodeOf(Context.System)} was refused by the cluster at {other.Address.Host}:{other.Address.Port}: " +
                     $"it runs {described}, this node {_fingerprint}; start every node with the same --config (population, learners, game)");
            _cluster.Leave(_cluster.SelfAddress);
        }
        else if (!selfIsMember) { } // neither is a member yet: the first to become one decides
        else
        {
            _log.Warning("refused node {0}:{1}: it runs {2}, this cluster {3}", other.Address.Host, other.Address.Port, described, _fingerprint);
            _cluster.Down(other.Address);
        }
    }
}
