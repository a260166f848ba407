using Akka.Actor;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Web;

/// <summary>
/// What the dashboard shows, asked of this node's status actor (nodes, loads, the arena's status) and of the arena
/// (<see cref="ArenaActor.GetBoard"/>) at most once per <paramref name="freshFor"/>, and rendered once per asking: any
/// number of open pages and refreshes cost the cluster one status query and one board query per period. The renderer
/// gets the previous view too, so it can keep plots that need no redrawing (on the web server's threads, never the
/// compute dispatcher's).
/// </summary>
public sealed class DashboardSource(ActorSystem system, IActorRef arena, Func<DashboardView, DashboardView?, DashboardView> render, TimeSpan freshFor)
{
    public const int TopShown = 20;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private Task<DashboardView>? _current;
    private DashboardView? _previous;
    private long _taken;

    public Task<DashboardView> Current()
    {
        lock (_gate)
        {
            if (_current is null || (_current.IsCompleted && System.Diagnostics.Stopwatch.GetElapsedTime(_taken) > freshFor))
            {
                _taken = System.Diagnostics.Stopwatch.GetTimestamp();
                _current = Task.Run(Fetch);
            }
            return _current;
        }
    }

    /// <summary>Everything (every rating, where every learner lives), as `shaping status --json` asks.</summary>
    public Task<NodeStatusActor.NodeStatus> Full(int top) =>
        system.ActorSelection(ShapingPaths.Status).Ask<NodeStatusActor.NodeStatus>(new NodeStatusActor.GetNodeStatus(top, Full: true), AskTimeout);

    private async Task<DashboardView> Fetch()
    {
        var status = system.ActorSelection(ShapingPaths.Status).Ask<NodeStatusActor.NodeStatus>(new NodeStatusActor.GetNodeStatus(TopShown), AskTimeout);
        var board = arena.Ask<ArenaActor.Board>(new ArenaActor.GetBoard(), TimeSpan.FromSeconds(5));
        NodeStatusActor.NodeStatus? s = null;
        ArenaActor.Board? b = null;
        string? error = null;
        try { s = await status; }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { error = "this node's status actor did not answer within 15 s"; }
        try { b = await board; }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { } // the status says why the arena is silent
        var view = render(new DashboardView(DateTime.UtcNow, s, b, error), Volatile.Read(ref _previous));
        Volatile.Write(ref _previous, view);
        return view;
    }
}
