using Akka.Actor;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Host.Runs;
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
    public static int Run(ShapingConfig config, string[] configFiles, string directory, int port, IReadOnlyList<string> seedNodes,
        bool quiet, bool stayAfterFinish, NodeSecurity? security = null)
    {
        security ??= seedNodes.Count == 0 ? NodeSecurity.Embedded() : NodeSecurity.Open;
        ShapingNode.CheckBinding(config, security);
        config.ApplyTorchSettings();
        var settings = config.Population();
        directory = Path.GetFullPath(directory);
        PopulationRunFile.CreateOrCheck(directory, settings, config.Root.GetConfig("shaping.population").ToString(includeFallback: true), configFiles);
        var population = new PopulationContext(config, settings, directory);
        var memberIds = settings.Members.Select(m => m.Id).ToHashSet();
        var node = ShapingNode.Start(config, population, port, seedNodes, security: security);
        var transport = security.IsEmbedded ? "no remote access" : security.Certificates is { } tls ? $"TLS with {tls.Source}" : "plain TCP on loopback";
        Console.Error.WriteLine($"node {node.Address} of population '{settings.Name}' ({settings.Members.Count} members, " +
            $"{population.Schedule.TotalMatches()} matches, settings {node.Fingerprint.Hash}; {transport}) writing to {directory}");

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
            void Poll(Action<ArenaActor.Status> show)
            {
                while (!Done())
                {
                    try
                    {
                        var ask = node.ArenaStatus(TimeSpan.FromSeconds(5));
                        ask.Wait(stop.Token);
                        last = ask.Result;
                        show(last);
                    }
                    catch (Exception e) when (e is AskTimeoutException or AggregateException) { } // the arena is starting or moving
                    catch (OperationCanceledException) { break; }
                    stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                }
            }
            if (quiet || Console.IsOutputRedirected)
            {
                int shown = -1;
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
                            task.Value = s.MatchesDone;
                        });
                    });
            if (last is { Finished: true } finished && finished.Node == node.Address) PopulationPlots.Write(directory);
            systemStopped = node.System.WhenTerminated.IsCompleted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
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

    public static string Describe(ArenaActor.Status s, IReadOnlyCollection<string> members)
    {
        if (!s.Started) return $"{s.Name}: waiting for nodes (arena on {s.Node})";
        var lambda = double.IsNaN(s.Lambda) ? "" : $" λ {s.Lambda:F3}";
        var best = s.Ratings.Where(r => members.Contains(r.Key)).OrderByDescending(r => r.Value).FirstOrDefault();
        var leader = best.Key is null ? "" : $", best {best.Key} {best.Value:F0}";
        return $"{s.Name}: round {Math.Min(s.Round, s.Rounds)}/{s.Rounds}{lambda}, matches {s.MatchesDone}/{s.MatchesPlanned}, running {s.Running.Count}{leader}";
    }
}
