using Akka.Actor;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Host.Runs;
using ShapingCluster.Host.Web;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// Runs this process as a node of a population run — the one node of the embedded default (`train`) or one of
/// several (`node`) — and shows the arena's progress until the run finishes, fails, or Ctrl-C / SIGTERM stops the
/// node (it then leaves the cluster gracefully, handing the arena and its learners' shards to the others).
/// The node that hosts the arena when the run finishes draws the plots. Without seed nodes (the embedded runs of
/// `train` and `resume`) the node accepts no remote connection at all (<see cref="NodeSecurity.Embedded"/>).
/// </summary>
public static class PopulationHost
{
    public static int Run(ShapingConfig config, string[] configFiles, IReadOnlyList<string> overrides, string directory, int port,
        IReadOnlyList<string> seedNodes, bool quiet, bool stayAfterFinish, NodeSecurity? security = null, DashboardEndpoint? http = null)
    {
        security ??= seedNodes.Count == 0 ? NodeSecurity.Embedded() : NodeSecurity.Open;
        ShapingNode.CheckBinding(config, security);
        config.ApplyTorchSettings();
        var settings = config.Population();
        directory = Path.GetFullPath(directory);
        var game = config.Game(settings.Game);
        long perMatch = settings.Members.Select(m => m.Kind).Append(settings.Opponent).Distinct()
            .Max(kind => config.MemberFactory(kind, game).EstimateBytes(settings.Batch, settings.MetaSteps, game.PolicySize));
        MemoryCheck.Require(checked(2 * perMatch * Math.Min(settings.MaxParallelMatches, settings.Members.Count)),
            $"population '{settings.Name}' ({settings.MaxParallelMatches} parallel matches of {settings.Batch} games × {settings.MetaSteps} meta-steps)");
        bool resuming = RunFile.Exists(directory);
        // Nodes of one cluster may share a directory; an embedded run (train, resume) has it to itself.
        using var runLock = RunLock.Take(directory, shared: seedNodes.Count > 0,
            seedNodes.Count > 0 ? $"shaping node (port {port})" : "shaping train/resume (embedded node)");
        var described = new JObject
        {
            ["settings"] = JObject.FromObject(settings),
            ["learners"] = new JObject(settings.Members.Select(m => m.Kind).Append(settings.Opponent).Distinct()
                .Select(kind => new JProperty(kind, config.ResolvedText($"shaping.learners.{kind}")))),
        };
        PopulationRunFile.CreateOrCheck(directory, described, config.Root.GetConfig("shaping").ToString(includeFallback: true), settings.Seed,
            configFiles, overrides);
        if (resuming) CheckJournal(config, settings, directory);
        var population = new PopulationContext(config, settings, directory);
        var memberIds = settings.Members.Select(m => m.Id).ToHashSet();
        var node = ShapingNode.Start(config, population, port, seedNodes, security: security);
        var nodeClock = System.Diagnostics.Stopwatch.StartNew();
        var transport = security.IsEmbedded ? "no remote access" : security.Certificates is { } tls ? $"TLS with {tls.Source}" : "plain TCP on loopback";
        Console.Error.WriteLine($"node {node.Address} of population '{settings.Name}' ({settings.Members.Count} members, " +
            $"{population.Schedule.TotalMatches()} matches planned, settings {node.Fingerprint.Hash}; {transport}) writing to {directory}");
        DashboardServer? dashboard = null;
        try { dashboard = http is null ? null : DashboardServer.Start(node.System, node.ArenaProxy, population, http); }
        catch (IOException e)
        {
            node.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(60));
            throw new ArgumentException($"--http {http!.Address}:{http.Port}: cannot listen there: {e.Message}");
        }
        if (dashboard is not null)
            Console.Error.WriteLine($"dashboard at {dashboard.Address} (/, /members, /api/status, /metrics, /health){(http!.Tls is null ? "" : "; HTTPS for holders of the cluster's certificates only")}");
        var events = new PopulationEvents(directory, population.Schedule.Lambda);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, args) => { args.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context => { context.Cancel = true; stop.Cancel(); });
        ArenaActor.Status? last = null;
        bool systemStopped = false;
        try
        {
            bool Done() => stop.IsCancellationRequested || node.System.WhenTerminated.IsCompleted
                           || (last is { Finished: true } && !stayAfterFinish) || last?.Error is not null;
            var plotted = DateTime.UtcNow;
            void Poll(Action<ArenaActor.Status> show)
            {
                while (!Done())
                {
                    try
                    {
                        var ask = node.ArenaStatus(TimeSpan.FromSeconds(5), top: 1);
                        ask.Wait(stop.Token);
                        last = ask.Result;
                        show(last);
                        // The node that hosts the arena writes the TensorBoard scalars and redraws the plots now and then.
                        if (last.Node == node.Address) events.Observe(last, node.ArenaProxy);
                        if (last.Node == node.Address && DateTime.UtcNow - plotted > population.Arena.PlotsInterval)
                        {
                            plotted = DateTime.UtcNow;
                            DrawPlots(directory);
                        }
                    }
                    catch (Exception e) when (e is AskTimeoutException or AggregateException) { } // the arena is starting or moving
                    catch (OperationCanceledException) { break; }
                    stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                }
            }
            if (quiet || Console.IsOutputRedirected)
            {
                long shown = -1;
                Poll(s =>
                {
                    if (s.MatchesDone == shown) return;
                    shown = s.MatchesDone;
                    Console.WriteLine(Describe(s, memberIds));
                });
            }
            else
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask(settings.Name, maxValue: Math.Max(1, population.Schedule.TotalMatches()));
                        Poll(s =>
                        {
                            task.Description = Markup.Escape(Describe(s, memberIds));
                            task.MaxValue = Math.Max(1, s.MatchesPlanned);
                            task.Value = s.MatchesDone;
                        });
                    });
            if (last is { Finished: true } finished && finished.Node == node.Address) DrawPlots(directory);
            systemStopped = node.System.WhenTerminated.IsCompleted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (dashboard is not null) dashboard.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            // What the compute threads did while this node ran (bench/population-scale.sh reads this line).
            var busy = ComputeLoad.Of(node.System).Busy.TotalSeconds;
            var wall = nodeClock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"node {node.Address}: compute threads busy {busy:F1} s of {wall:F1} s × {config.ComputeThreads} threads ({busy / Math.Max(1e-9, wall * config.ComputeThreads):P0})");
            node.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(60));
        }
        if (node.Refusal is { } refusal && last is null)
        {
            Console.Error.WriteLine($"shaping: {refusal}");
            return ExitCodes.Usage;
        }
        if (systemStopped && last is not { Finished: true } && !stop.IsCancellationRequested)
        {
            Console.Error.WriteLine(last is null
                ? $"shaping: node {node.Address} stopped before it joined a cluster: no seed node answered ({string.Join(", ", seedNodes)})"
                : $"shaping: node {node.Address} was removed from the cluster (downed as unreachable, or its cluster lost the majority); " +
                  $"{last.MatchesDone} of {last.MatchesPlanned} matches are recorded in {directory}; restart the node to rejoin");
            return ExitCodes.Failed;
        }
        if (last?.Error is { } error)
        {
            Console.Error.WriteLine($"shaping: population '{settings.Name}' stopped: {error}");
            return ExitCodes.Failed;
        }
        Console.Error.WriteLine(last is { Finished: true }
            ? $"finished {settings.Name}: {last.MatchesDone} matches in {directory}"
            : $"stopped node {node.Address}; {last?.MatchesDone ?? 0} of {last?.MatchesPlanned ?? population.Schedule.TotalMatches()} matches recorded in {directory}");
        return ExitCodes.Ok;
    }

    /// <summary>A run that already recorded matches must find them in its journal: a missing or emptied journal would
    /// be created anew and the run played again over its own files.</summary>
    private static void CheckJournal(ShapingConfig config, PopulationSettings settings, string directory)
    {
        var persistence = config.Persistence();
        long? events = Actors.Persistence.JournalProbe.Events(persistence, directory, $"{settings.Name}/arena");
        var matches = Path.Combine(directory, Actors.Arena.MatchesProjection.FileName);
        long recorded = File.Exists(matches) ? new FileInfo(matches).Length : 0;
        if ((events ?? 0) > 0 || recorded == 0) return;
        var where = persistence.Store == "sqlite" ? Path.Combine(directory, Actors.Persistence.PersistenceSettings.JournalFile) : $"the {persistence.Store} journal";
        throw new ArgumentException($"{where} {(events is null ? "is missing" : "holds no events of this run")}, but {matches} has matches: " +
            "the journal is the run's source of truth; restore it (nothing was changed) or start a new run with another --out");
    }

    private static void DrawPlots(string directory)
    {
        // The plots are a projection of files already written: whatever goes wrong drawing them (a full disk, a
        // half-written file, a plotting library's refusal) is reported and the node goes on.
        try { PopulationPlots.Write(directory); }
        catch (Exception e)
        {
            Console.Error.WriteLine($"shaping: drawing the plots failed: {e.Message}");
        }
    }

    public static string Describe(ArenaActor.Status s, IReadOnlyCollection<string> members)
    {
        if (!s.Started) return $"{s.Name}: waiting for nodes (arena on {s.Node})";
        var lambda = double.IsNaN(s.Lambda) ? "" : $" λ {s.Lambda:F3}";
        var leader = s.Top.Count == 0 ? "" : $", best {s.Top[0].Player} {s.Top[0].Rating:F0}";
        return $"{s.Name}: round {Math.Min(s.Round, s.Rounds)}/{s.Rounds}{lambda}, matches {s.MatchesDone}/{s.MatchesPlanned} ({s.MatchesPerSecond:F1}/s), running {s.Running.Count}{leader}";
    }
}
