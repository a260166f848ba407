using Akka.Actor;
using Akka.Cluster;
using ShapingCluster.Actors.Arena;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// Answers `shaping status` on every node (at <see cref="ShapingPaths.Status"/>): the cluster's members as this
/// node sees them, plus the arena's status (progress, where learners live, ratings) if the arena answers in time.
/// </summary>
public sealed class NodeStatusActor : ReceiveActor
{
    public sealed record GetNodeStatus : IShapingMessage;

    public sealed record NodeStatus(string Node, IReadOnlyList<MemberInfo> Members, ArenaActor.Status? Arena, string? ArenaError) : IShapingMessage;

    public sealed record MemberInfo(string Address, string Status, bool Reachable);

    public NodeStatusActor()
    {
        ReceiveAsync<GetNodeStatus>(async _ =>
        {
            var sender = Sender;
            var state = Cluster.Get(Context.System).State;
            var members = state.Members.Select(m => new MemberInfo($"{m.Address.Host}:{m.Address.Port}", m.Status.ToString(),
                !state.Unreachable.Contains(m))).ToList();
            ArenaActor.Status? arena = null;
            string? error = null;
            try { arena = await Context.ActorSelection(ShapingPaths.ArenaProxy).Ask<ArenaActor.Status>(new ArenaActor.GetStatus(), TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { error = "the arena did not answer within 5 s (starting, or moving after a node loss)"; }
            sender.Tell(new NodeStatus(ShapingPaths.NodeOf(Context.System), members, arena, error));
        });
    }
}
