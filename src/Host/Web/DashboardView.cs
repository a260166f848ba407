using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Web;

/// <summary>One asking of the cluster and what was drawn from it: the status (null if this node's status actor did
/// not answer, with <paramref name="Error"/> saying so), the arena's board (null while the arena is starting or
/// moving), and, once rendered, the page and the two plots as SVG (null when there is nothing to draw yet), with when
/// each plot was drawn and from which rated rounds the ratings plot was.</summary>
public sealed record DashboardView(DateTime Taken, NodeStatusActor.NodeStatus? Status, ArenaActor.Board? Board, string? Error,
    string Page = "", string? CrossPlaySvg = null, DateTime CrossPlayDrawn = default, string? RatingsSvg = null, string RatingsOf = "", DateTime RatingsDrawn = default);
