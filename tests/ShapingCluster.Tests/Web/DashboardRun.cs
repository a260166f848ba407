using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace ShapingCluster.Tests.Web;

/// <summary>
/// One population run shared by the dashboard's tests: a real `shaping node` process (its own seed, --stay so that it
/// stays up when the run is done, --http 127.0.0.1:0) playing a small round robin of 7 members of three kinds. From
/// the moment /metrics answers until the run has finished, /metrics is scraped every few hundred milliseconds, so the
/// tests can see the counters move; the tests then read the finished run (its numbers no longer change).
/// </summary>
public sealed partial class DashboardRun : IAsyncLifetime
{
    public const string Population = "watch";
    /// <summary>7 members of a round robin: 21 matches a round.</summary>
    public const int Rounds = 8, MatchesPerRound = 21;

    private readonly List<string> _stderr = [];
    private Process? _node;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("shaping-dashboard-").FullName;
    public string RunDirectory => Path.Combine(Directory, "run");
    public int AkkaPort { get; } = FreePort();
    public Uri Dashboard { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    /// <summary>Each scrape taken while the run was going: when, the text, and matches done according to the status.</summary>
    public List<(DateTime Time, string Text)> Scrapes { get; } = [];
    public JObject FinishedStatus { get; private set; } = null!;

    [GeneratedRegex(@"dashboard at (http://\S+/)")]
    private static partial Regex DashboardLine();

    public async Task InitializeAsync()
    {
        var config = Path.Combine(Directory, "watch.conf");
        File.WriteAllText(config, $$"""
            shaping.population {
              name = {{Population}}
              members = ["mfos:3", "lola:2", "nl:2"]
              pairing = round-robin
              rounds = {{Rounds}}
              batch = 64
              meta-steps = 10
            }
            shaping.learners.mfos.ppo.hidden = 16
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "shaping.dll"), "node", "--config", config, "--port", AkkaPort.ToString(),
                     "--seed-nodes", $"127.0.0.1:{AkkaPort}", "--out", RunDirectory, "--stay", "--quiet", "--http", "127.0.0.1:0" })
            start.ArgumentList.Add(a);
        _node = Process.Start(start)!;
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { address.TrySetException(new InvalidOperationException($"the node exited: {Stderr}")); return; }
            lock (_stderr) _stderr.Add(e.Data);
            if (DashboardLine().Match(e.Data) is { Success: true } m) address.TrySetResult(new Uri(m.Groups[1].Value));
        };
        _node.OutputDataReceived += (_, _) => { };
        _node.BeginErrorReadLine();
        _node.BeginOutputReadLine();
        Dashboard = await address.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            Scrapes.Add((DateTime.UtcNow, await Http.GetStringAsync(new Uri(Dashboard, "/metrics"))));
            var status = JObject.Parse(await Http.GetStringAsync(new Uri(Dashboard, "/api/status")));
            if (status["Arena"] is JObject { } arena && (bool)arena["Finished"]!)
            {
                FinishedStatus = status;
                Scrapes.Add((DateTime.UtcNow, await Http.GetStringAsync(new Uri(Dashboard, "/metrics"))));
                return;
            }
            if (status["Arena"]?["Error"] is { Type: JTokenType.String } error) throw new InvalidOperationException($"the run stopped: {error}");
            await Task.Delay(300);
        }
        throw new TimeoutException($"the run did not finish within 4 minutes: {Stderr}");
    }

    public string Stderr
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_node is { HasExited: false } node)
        {
            // SIGTERM: the node leaves the cluster and stops as it would under a supervisor.
            using (var term = Process.Start("kill", ["-TERM", node.Id.ToString()])) await term!.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await node.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { node.Kill(entireProcessTree: true); }
        }
        _node?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
