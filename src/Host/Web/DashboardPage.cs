using System.Globalization;
using System.Net;
using System.Text;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Host.Web;

/// <summary>
/// The dashboard's HTML, built on the server with no framework and nothing fetched from elsewhere: progress, nodes
/// and their compute utilisation, the two plots (inline SVG), the best-rated players, quarantines and recent
/// failures. Its size is bounded whatever the league's (the top <see cref="DashboardSource.TopShown"/>, at most
/// <see cref="QuarantinesShown"/> quarantines; everyone is on /members). A few lines of inline script replace the page's
/// <c>main</c> every <see cref="RefreshSeconds"/> s (the scroll position stays); without script a meta refresh does it.
/// </summary>
public static class DashboardPage
{
    public const int RefreshSeconds = 5, QuarantinesShown = 50;

    public static string Render(DashboardView view, PopulationSettings settings)
    {
        var html = new StringBuilder(64 * 1024);
        Head(html, settings.Name, refresh: true);
        html.Append($"<main data-taken=\"{view.Taken:o}\">");
        var status = view.Status;
        var arena = status?.Arena;
        html.Append($"<header><h1>{H(settings.Name)}</h1><p class=\"state\">{H(State(view))}</p><p class=\"meta\">");
        if (status is not null) html.Append($"as seen by node {H(status.Node)} at {view.Taken:HH:mm:ss} UTC · ");
        html.Append($"<a href=\"/members\">all {settings.Members.Count} members</a> · <a href=\"/api/status\">status JSON</a> · " +
                    "<a href=\"/metrics\">metrics</a> · <a href=\"/health\">health</a></p></header>");

        if (arena is not null) Progress(html, arena);
        if (status is not null) Nodes(html, status);

        html.Append("<section id=\"crossplay\"><h2>Cross-play</h2>");
        html.Append(view.CrossPlaySvg is { } cross ? $"<figure>{cross}</figure>" : "<p class=\"empty\">no match recorded yet</p>");
        html.Append("</section><section id=\"ratings\"><h2>Ratings over rounds</h2>");
        html.Append(view.RatingsSvg is { } ratings ? $"<figure>{ratings}</figure>" : "<p class=\"empty\">no round rated yet</p>");
        html.Append("</section>");

        if (arena is not null)
        {
            Top(html, arena, view.Board, settings.Members.Count);
            Quarantines(html, arena);
        }
        if (view.Board is { } board) Failures(html, board);
        html.Append("</main>");
        html.Append($$"""
            <script>
            // Replace the page's content with a fresh copy every {{RefreshSeconds}} s (keeps the scroll position; no library).
            setInterval(async () => {
              try {
                const r = await fetch(location.href, { cache: 'no-store' });
                if (!r.ok) return;
                const next = new DOMParser().parseFromString(await r.text(), 'text/html').querySelector('main');
                if (next) document.querySelector('main').replaceWith(next);
              } catch (e) { /* the node is gone or restarting: keep what is shown */ }
            }, {{RefreshSeconds * 1000}});
            </script>
            """);
        html.Append("</body></html>");
        return html.ToString();
    }

    internal static void Head(StringBuilder html, string title, bool refresh)
    {
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>{H(title)} · ShapingCluster</title>");
        if (refresh) html.Append($"<noscript><meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\"></noscript>");
        html.Append("""
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 960px; color: #222; }
            h1 { margin: 0; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; border-bottom: 1px solid #ddd; }
            .state { font-size: 1.2em; margin: .2em 0; } .meta { color: #666; margin: .2em 0; }
            table { border-collapse: collapse; } td, th { padding: .15em .8em .15em 0; text-align: left; }
            td.n, th.n { text-align: right; } tr:nth-child(even) td { background: #f6f6f6; }
            .bad { color: #b00; font-weight: 600; } .empty { color: #888; }
            progress { width: 100%; height: 1.2em; } figure { margin: 0; } figure svg { max-width: 100%; height: auto; image-rendering: pixelated; }
            dl { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; } dt { color: #666; } dd { margin: 0; }
            </style>
            """);
        html.Append("</head><body>");
    }

    private static string State(DashboardView view)
    {
        if (view.Status is null) return view.Error ?? "no status";
        if (view.Status.Arena is not { } a) return view.Status.ArenaError ?? "the arena did not answer";
        return a.Error is not null ? $"stopped: {a.Error}" : a.Finished ? "finished" : a.Started ? "running" : "waiting for nodes";
    }

    private static void Progress(StringBuilder html, ArenaActor.Status a)
    {
        html.Append("<section id=\"progress\"><h2>Progress</h2><dl>");
        Row(html, "round", $"{Math.Min(a.Round, a.Rounds)} of {a.Rounds}");
        if (!double.IsNaN(a.Lambda)) Row(html, "λ", a.Lambda.ToString("F3", CultureInfo.InvariantCulture));
        Row(html, "matches", $"{a.MatchesDone:N0} done of {a.MatchesPlanned:N0} planned" + (a.MatchesVoid > 0 ? $" ({a.MatchesVoid:N0} void)" : ""));
        Row(html, "matches/s", $"{a.MatchesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} (last 30 s)");
        Row(html, "running", $"{a.Running.Count} matches");
        Row(html, "members", $"{a.Members}" + (a.FrozenVersions > 0 ? $", {a.FrozenVersions} frozen versions in the league" : ""));
        html.Append($"</dl><progress id=\"done\" value=\"{a.MatchesDone}\" max=\"{Math.Max(1, a.MatchesPlanned)}\"></progress></section>");
    }

    private static void Nodes(StringBuilder html, Actors.Nodes.NodeStatusActor.NodeStatus status)
    {
        var loads = status.Loads.ToDictionary(l => l.Node);
        html.Append("<section id=\"nodes\"><h2>Nodes</h2><table><tr><th>node</th><th>status</th><th>reachable</th>" +
                    "<th class=\"n\">members</th><th class=\"n\">compute busy (30 s)</th></tr>");
        foreach (var m in status.Members)
        {
            int learners = status.Arena?.MembersPerNode.GetValueOrDefault(m.Address) ?? 0;
            var busy = loads.TryGetValue(m.Address, out var l) && double.IsFinite(l.Utilisation)
                ? $"{(100 * l.Utilisation).ToString("F0", CultureInfo.InvariantCulture)}% of {l.ComputeThreads} threads" : "?";
            html.Append($"<tr><td>{H(m.Address)}{(status.Arena?.Node == m.Address ? " (arena)" : "")}</td><td>{H(m.Status)}</td>" +
                        $"<td{(m.Reachable ? "" : " class=\"bad\"")}>{(m.Reachable ? "yes" : "NO")}</td><td class=\"n\">{learners}</td><td class=\"n\">{busy}</td></tr>");
        }
        html.Append("</table></section>");
    }

    private static void Top(StringBuilder html, ArenaActor.Status a, ArenaActor.Board? board, int members)
    {
        var matches = board is null ? new Dictionary<string, int?>()
            : board.Players.Select((p, i) => (p, board.Matches[i])).ToDictionary(x => x.p, x => x.Item2);
        html.Append($"<section id=\"top\"><h2>Best rated ({(a.RatingsFitted ? "fitted" : "fit + online updates since")})</h2>");
        if (a.Top.Count == 0) { html.Append("<p class=\"empty\">no ratings yet</p></section>"); return; }
        html.Append("<table><tr><th class=\"n\">#</th><th>player</th><th class=\"n\">rating</th><th class=\"n\">matches</th></tr>");
        int rank = 0;
        foreach (var r in a.Top)
            html.Append($"<tr><td class=\"n\">{++rank}</td><td>{H(r.Player)}</td><td class=\"n\">{r.Rating.ToString("F0", CultureInfo.InvariantCulture)}</td>" +
                        $"<td class=\"n\">{(matches.GetValueOrDefault(r.Player) is int n ? n.ToString(CultureInfo.InvariantCulture) : "")}</td></tr>");
        html.Append($"</table><p><a href=\"/members\">all {members} members</a></p></section>");
    }

    private static void Quarantines(StringBuilder html, ArenaActor.Status a)
    {
        html.Append($"<section id=\"quarantines\"><h2>Quarantines ({a.Quarantined.Count})</h2>");
        if (a.Quarantined.Count == 0) { html.Append("<p class=\"empty\">none</p></section>"); return; }
        html.Append("<table><tr><th>member</th><th>reason</th></tr>");
        foreach (var (member, reason) in a.Quarantined.OrderBy(q => q.Key, StringComparer.Ordinal).Take(QuarantinesShown))
            html.Append($"<tr><td class=\"bad\">{H(member)}</td><td>{H(reason)}</td></tr>");
        html.Append("</table>");
        if (a.Quarantined.Count > QuarantinesShown) html.Append($"<p>… and {a.Quarantined.Count - QuarantinesShown} more (<a href=\"/members\">all members</a>)</p>");
        html.Append("</section>");
    }

    private static void Failures(StringBuilder html, ArenaActor.Board board)
    {
        html.Append($"<section id=\"failures\"><h2>Recent failures ({board.FailuresTotal} since the arena started on its node)</h2>");
        if (board.Failures.Count == 0) { html.Append("<p class=\"empty\">none</p></section>"); return; }
        html.Append("<table><tr><th>time (UTC)</th><th>match</th><th>reason</th></tr>");
        foreach (var f in board.Failures)
            html.Append($"<tr><td>{f.Time:HH:mm:ss}</td><td>{H(f.Match)}</td><td>{H(f.Reason)}</td></tr>");
        html.Append("</table></section>");
    }

    private static void Row(StringBuilder html, string name, string value) => html.Append($"<dt>{H(name)}</dt><dd>{H(value)}</dd>");

    internal static string H(string text) => WebUtility.HtmlEncode(text);
}
