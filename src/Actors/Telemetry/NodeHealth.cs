using Akka.Actor;
using Akka.Cluster;

namespace ShapingCluster.Actors.Telemetry;

/// <summary>
/// A node's health as a supervisor or a Kubernetes probe wants it: one word and whether it is healthy. <c>Up</c> (the
/// only healthy answer) is a member that is Up and can reach a majority of the cluster's members, itself included;
/// <c>Joining</c> has not been admitted yet (Joining or WeaklyUp); <c>Unreachable</c> is a member the others cannot
/// reach, or one cut off from the majority (keep-majority downs it soon); <c>Leaving</c>, <c>Down</c>, <c>Removed</c>
/// are on their way out (a removed node does not come back: restart it).
/// </summary>
public sealed record NodeHealth(string Status, bool Healthy, string Node, string MemberStatus, int Members, IReadOnlyList<string> Unreachable)
{
    public static NodeHealth Of(ActorSystem system)
    {
        var node = ShapingPaths.NodeOf(system);
        if (system.WhenTerminated.IsCompleted) return new NodeHealth("Removed", false, node, "Removed", 0, []);
        var cluster = Cluster.Get(system);
        if (cluster.IsTerminated) return new NodeHealth("Removed", false, node, "Removed", 0, []);
        var state = cluster.State;
        var self = cluster.SelfMember;
        // Before a join completes the cluster lists no self member: the node is still joining.
        if (!state.Members.Any(m => m.UniqueAddress == self.UniqueAddress)) return new NodeHealth("Joining", false, node, "Joining", state.Members.Count, []);
        var unreachable = state.Unreachable.Select(m => $"{m.Address.Host}:{m.Address.Port}").Order(StringComparer.Ordinal).ToList();
        int members = state.Members.Count;
        int reachable = state.Members.Count(m => !state.Unreachable.Contains(m));
        string status = self.Status switch
        {
            Akka.Cluster.MemberStatus.Up when state.Unreachable.Contains(self) || 2 * reachable <= members => "Unreachable",
            Akka.Cluster.MemberStatus.Up => "Up",
            Akka.Cluster.MemberStatus.Joining or Akka.Cluster.MemberStatus.WeaklyUp => "Joining",
            Akka.Cluster.MemberStatus.Leaving or Akka.Cluster.MemberStatus.Exiting => "Leaving",
            Akka.Cluster.MemberStatus.Down => "Down",
            _ => "Removed",
        };
        return new NodeHealth(status, status == "Up", node, self.Status.ToString(), members, unreachable);
    }
}
