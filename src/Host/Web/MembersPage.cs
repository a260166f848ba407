using System.Globalization;
using System.Text;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Host.Web;

/// <summary>/members: every member of the population with its kind, rating, node and quarantine, best rated first (the
/// full table the dashboard leaves out; one row per member, from one full status query).</summary>
public static class MembersPage
{
    public static string Render(NodeStatusActor.NodeStatus? status, PopulationSettings settings, string? error)
    {
        var html = new StringBuilder(256 * 1024);
        DashboardPage.Head(html, $"{settings.Name}: members", refresh: false);
        html.Append($"<main><header><h1>{DashboardPage.H(settings.Name)}: {settings.Members.Count} members</h1><p class=\"meta\"><a href=\"/\">dashboard</a></p></header>");
        var arena = status?.Arena;
        if (arena is null) html.Append($"<p class=\"bad\">{DashboardPage.H(error ?? status?.ArenaError ?? "the arena did not answer")}</p>");
        var ratings = arena?.Ratings ?? new Dictionary<string, double>();
        var nodes = arena?.Learners ?? new Dictionary<string, string>();
        var quarantined = arena?.Quarantined ?? new Dictionary<string, string>();
        html.Append("<table id=\"members\"><tr><th class=\"n\">#</th><th>member</th><th>kind</th><th class=\"n\">rating</th><th>node</th><th>quarantined</th></tr>");
        int rank = 0;
        foreach (var m in settings.Members.OrderByDescending(m => ratings.GetValueOrDefault(m.Id, double.NegativeInfinity)).ThenBy(m => m.Id, StringComparer.Ordinal))
        {
            var rating = ratings.TryGetValue(m.Id, out var r) && double.IsFinite(r) ? r.ToString("F0", CultureInfo.InvariantCulture) : "";
            html.Append($"<tr><td class=\"n\">{++rank}</td><td>{DashboardPage.H(m.Id)}</td><td>{DashboardPage.H(m.Kind)}</td><td class=\"n\">{rating}</td>" +
                        $"<td>{DashboardPage.H(nodes.GetValueOrDefault(m.Id) ?? "")}</td>" +
                        $"<td class=\"bad\">{DashboardPage.H(quarantined.GetValueOrDefault(m.Id) ?? "")}</td></tr>");
        }
        html.Append("</table></main></body></html>");
        return html.ToString();
    }
}
