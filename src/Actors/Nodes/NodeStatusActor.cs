using Akka.Actor;
using Akka.Cluster;
using ShapingCluster.Actors.Arena;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// Answers `shaping status` on every node (at <see cref="ShapingPaths.Status"/>): the cluster's members as this node
/// sees them, every node's compute utilisation (busy compute-thread time over wall time, over the last 30 s; each
/// node's own status actor measures its node), and the arena's status if the arena answers in time.
/// </summary>
public sealed class NodeStatusActor : ReceiveActor, IWithTimers
{
    /// <summary>The arena's <paramref name="Top"/> best-rated players; with <paramref name="Full"/> everything.</summary>
    public sealed record GetNodeStatus(int Top = 10, bool Full = false) : IShapingMessage;

    public sealed record GetNodeLoad : IShapingMessage;

    public sealed record NodeLoad(string Node, int ComputeThreads, double BusySeconds, double Utilisation) : IShapingMessage;

    public sealed record NodeStatus(string Node, IReadOnlyList<MemberInfo> Members, IReadOnlyList<NodeLoad> Loads, ArenaActor.Status? Arena,
        string? ArenaError) : IShapingMessage;

    public sealed record MemberInfo(string Address, string Status, bool Reachable);

    private sealed record Sample;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30), SampleEvery = TimeSpan.FromSeconds(2);

    private readonly Queue<(DateTime Time, TimeSpan Busy)> _samples = new();
    private readonly int _computeThreads;

    public NodeStatusActor(int computeThreads)
    {
        _computeThreads = computeThreads;
        var load = ComputeLoad.Of(Context.System);
        Receive<Sample>(_ =>
        {
            var now = DateTime.UtcNow;
            _samples.Enqueue((now, load.Busy));
            while (_samples.Count > 2 && now - _samples.Peek().Time > Window) _samples.Dequeue();
        });
        Receive<GetNodeLoad>(_ => Sender.Tell(Load(load)));
        ReceiveAsync<GetNodeStatus>(async ask =>
        {
            var sender = Sender;
            var state = Cluster.Get(Context.System).State;
            var members = state.Members.Select(m => new MemberInfo($"{m.Address.Host}:{m.Address.Port}", m.Status.ToString(),
                !state.Unreachable.Contains(m))).ToList();
            var self = Cluster.Get(Context.System).SelfAddress;
            var loads = await Task.WhenAll(state.Members.Where(m => m.Status == MemberStatus.Up && !state.Unreachable.Contains(m)).Select(async m =>
            {
                // This actor's mailbox waits for this handler: asking itself would only time out.
                if (m.Address == self) return Load(load);
                try { return await Context.ActorSelection(new RootActorPath(m.Address) / "user" / "status").Ask<NodeLoad>(new GetNodeLoad(), TimeSpan.FromSeconds(3)); }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { return new NodeLoad($"{m.Address.Host}:{m.Address.Port}", 0, double.NaN, double.NaN); }
            }));
            ArenaActor.Status? arena = null;
            string? error = null;
            try { arena = await Context.ActorSelection(ShapingPaths.ArenaProxy).Ask<ArenaActor.Status>(new ArenaActor.GetStatus(ask.Top, ask.Full), TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { error = "the arena did not answer within 5 s (starting, or moving after a node loss)"; }
            sender.Tell(new NodeStatus(ShapingPaths.NodeOf(Context.System), members, loads.OrderBy(l => l.Node, StringComparer.Ordinal).ToList(), arena, error));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("sample", new Sample(), TimeSpan.Zero, SampleEvery);

    private NodeLoad Load(ComputeLoad load)
    {
        double utilisation = double.NaN;
        if (_samples.Count >= 2)
        {
            var (t0, b0) = _samples.Peek();
            var (t1, b1) = _samples.Last();
            utilisation = (b1 - b0).TotalSeconds / Math.Max(1e-9, (t1 - t0).TotalSeconds * _computeThreads);
        }
        return new NodeLoad(ShapingPaths.NodeOf(Context.System), _computeThreads, load.Busy.TotalSeconds, utilisation);
    }
}
