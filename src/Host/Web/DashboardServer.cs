using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Telemetry;
using ShapingCluster.Host.Commands;

namespace ShapingCluster.Host.Web;

/// <summary>
/// The read-only web endpoints of a node (`--http`), on Kestrel inside the node's process:
/// <c>/</c> the dashboard, <c>/members</c> every member, <c>/api/status</c> the JSON of `shaping status --json`,
/// <c>/metrics</c> this node's instruments (<see cref="ShapingMetrics"/>) in Prometheus text format through
/// OpenTelemetry's exporter, <c>/health</c> <see cref="NodeHealth"/> (200 when Up, 503 otherwise), and the two plots
/// as <c>/plots/crossplay.svg</c> and <c>/plots/ratings.svg</c>. Only GET is mapped: nothing here changes the run.
/// Built on an empty host (no configuration files, environment or console logging picked up by accident: stdout is
/// the run's progress).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>How often a plot is redrawn at most.</summary>
    public static readonly TimeSpan PlotsEvery = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens (the port chosen when --http gave 0).</summary>
    public Uri Address { get; }

    public static DashboardServer Start(ActorSystem system, IActorRef arena, PopulationContext population, DashboardEndpoint endpoint)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "shaping", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint.Address, endpoint.Port, listen =>
            {
                if (endpoint.Tls is not { } tls) return;
                // The cluster's rule for its Akka port, applied to HTTP: a client is let in only with a certificate of the
                // cluster's own authority (the operating system's store plays no part).
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tls.Node,
                    ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (certificate, _, _) => tls.Refuses(certificate) is null,
                    CheckCertificateRevocation = false,
                });
            });
        });
        builder.Services.AddRoutingCore();
        var metrics = ShapingMetrics.Of(system);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("shaping", serviceInstanceId: ShapingPaths.NodeOf(system)))
            .WithMetrics(meters => meters.AddMeter(metrics.MeterName).AddPrometheusExporter(prometheus =>
            {
                // The meter's name is a per-node identifier, not something to label every series with.
                prometheus.ScopeInfoEnabled = false;
            }));

        var app = builder.Build();
        var settings = population.Settings;
        var source = new DashboardSource(system, arena, (view, previous) => Render(view, previous, settings), TimeSpan.FromSeconds(2));

        app.MapGet("/", async () => Results.Content((await source.Current()).Page, "text/html; charset=utf-8"));
        app.MapGet("/plots/crossplay.svg", async () => (await source.Current()).CrossPlaySvg is { } svg
            ? Results.Content(svg, "image/svg+xml") : Results.NotFound("no match recorded yet"));
        app.MapGet("/plots/ratings.svg", async () => (await source.Current()).RatingsSvg is { } svg
            ? Results.Content(svg, "image/svg+xml") : Results.NotFound("no round rated yet"));
        app.MapGet("/members", async () =>
        {
            try { return Results.Content(MembersPage.Render(await source.Full(top: 0), settings, null), "text/html; charset=utf-8"); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return Results.Content(MembersPage.Render(null, settings, "this node's status actor did not answer within 15 s"), "text/html; charset=utf-8",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/api/status", async (int? top) =>
        {
            if (top is < 0) return Results.BadRequest("top must be ≥ 0");
            try { return Results.Content(StatusJson.Of(await source.Full(top ?? 10)), "application/json"); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return Results.Problem("this node's status actor did not answer within 15 s", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/health", () =>
        {
            var health = NodeHealth.Of(system);
            return Results.Content(JsonConvert.SerializeObject(health), "application/json",
                statusCode: health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");

        app.StartAsync().GetAwaiter().GetResult();
        var bound = app.Urls.Select(u => new Uri(u)).First();
        return new DashboardServer(app, bound);
    }

    /// <summary>Drawing a plot costs tens of milliseconds of CPU, taken from the compute threads on a busy machine: each
    /// plot is redrawn at most every <see cref="PlotsEvery"/> (one match changes little of the heat map; a league of
    /// cheap members rates a round every second or two), the ratings plot only when a round was rated since; the
    /// page's text is always fresh.</summary>
    private static DashboardView Render(DashboardView view, DashboardView? previous, Algorithms.Population.PopulationSettings settings)
    {
        var drawn = view;
        if (view.Board is { } board)
        {
            drawn = previous?.CrossPlaySvg is { } cross && view.Taken - previous.CrossPlayDrawn < PlotsEvery
                ? drawn with { CrossPlaySvg = cross, CrossPlayDrawn = previous.CrossPlayDrawn }
                : drawn with { CrossPlaySvg = DashboardPlots.CrossPlay(settings.Name, board), CrossPlayDrawn = view.Taken };
            var ratingsOf = string.Join(",", board.Rounds) + "|" + string.Join(",", board.Ratings.Select(l => l.Player));
            drawn = previous is { RatingsSvg: not null } && (previous.RatingsOf == ratingsOf || view.Taken - previous.RatingsDrawn < PlotsEvery)
                ? drawn with { RatingsSvg = previous.RatingsSvg, RatingsOf = previous.RatingsOf, RatingsDrawn = previous.RatingsDrawn }
                : drawn with { RatingsSvg = DashboardPlots.Ratings(settings.Name, board), RatingsOf = ratingsOf, RatingsDrawn = view.Taken };
        }
        return drawn with { Page = DashboardPage.Render(drawn, settings) };
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
    }
}
