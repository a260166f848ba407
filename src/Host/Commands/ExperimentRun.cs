using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Training;
using ShapingCluster.Host.Runs;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping train` of one experiment (shaping.experiment): trains a kind that learns across matches, writing the
/// run directory as it goes. Ctrl-C or SIGTERM stops after the current episode with a checkpoint, the episodes and
/// the plots written; --resume continues from the newest intact checkpoint and plays exactly the episodes an
/// uninterrupted run would have.
/// </summary>
public static class ExperimentRun
{
    public static int Run(ShapingConfig config, string[] configFiles, string? output, int? episodes, long? seed, bool resume, bool quiet)
    {
        config.ApplyTorchSettings();
        var experiment = config.Experiment();
        if (episodes is { } e) experiment = (experiment with { Episodes = e }).Validated();
        if (seed is { } s) experiment = experiment with { Seed = s };
        var game = config.Game(experiment.Game);
        var settings = Settings(config, experiment);
        var kind = config.MemberFactory(experiment.Kind, game);
        MemoryCheck.Require(checked(experiment.Members * kind.EstimateBytes(experiment.Batch, experiment.MetaSteps, game.PolicySize)),
            $"experiment '{experiment.Name}' ({experiment.Batch} games × {experiment.MetaSteps} meta-steps)");
        var run = new RunDirectory(output ?? Path.Combine("runs", $"{experiment.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        using var runLock = RunLock.Take(run.Path, shared: false, $"shaping train --config {string.Join(' ', configFiles)}");
        using var training = new MemberTraining(experiment, game, name => config.MemberFactory(name, game));
        if (resume)
        {
            if (!run.HoldsRun) throw new ArgumentException($"{run.Path} holds no run to resume");
            run.CheckSameRun(experiment, settings);
            var found = run.NewestCheckpoint(training.Restore, skipped => Console.Error.WriteLine($"shaping: {skipped}"))
                ?? throw new ArgumentException($"{run.Path} has no intact checkpoint to resume from");
            run.TruncateEpisodes(training.EpisodesDone);
            Console.Error.WriteLine($"resuming {experiment.Name} after episode {training.EpisodesDone} from {found.File}");
        }
        else
        {
            if (run.HoldsRun) throw new ArgumentException($"{run.Path} already holds a run; pass --resume to continue it or choose another --out");
            run.Create(experiment, settings, config.Root.GetConfig("shaping").ToString(includeFallback: true), configFiles, []);
            // The members as initialised: a run stopped or corrupted before its first checkpoint still resumes.
            run.SaveCheckpoint(training.Checkpoint());
        }

        using var stop = new CancellationTokenSource();
        void RequestStop()
        {
            if (stop.IsCancellationRequested) return;
            stop.Cancel(); // finish the current episode, then stop cleanly
            Console.Error.WriteLine("stopping after the current episode...");
        }
        ConsoleCancelEventHandler onCancel = (_, args) => { args.Cancel = true; RequestStop(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context => { context.Cancel = true; RequestStop(); });
        // A checkpoint is written on the way out only between episodes: an exception in the middle of one (in
        // self-play, after one member has learned and before the other has) would leave a state no episode count names.
        bool betweenEpisodes = true;
        var tensorboard = new TensorBoardEvents(run.Path);
        try
        {
            void Loop(Action<EpisodeRecord> report)
            {
                while (!training.Finished && !stop.IsCancellationRequested)
                {
                    EpisodeRecord record;
                    betweenEpisodes = false;
                    // Play stops between meta-steps when asked; the members are then as the last episode left them.
                    try { record = training.RunNextEpisode(stop.Token); }
                    catch (OperationCanceledException)
                    {
                        betweenEpisodes = true;
                        break;
                    }
                    run.AppendEpisode(record);
                    tensorboard.Episode(record, experiment.Kind);
                    betweenEpisodes = true;
                    if (record.Episode % experiment.CheckpointEvery == 0) run.SaveCheckpoint(training.Checkpoint());
                    report(record);
                }
            }
            if (quiet || Console.IsOutputRedirected)
                Loop(r => Console.WriteLine(Describe(r, experiment)));
            else
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask(experiment.Name, maxValue: experiment.Episodes);
                        task.Value = training.EpisodesDone;
                        Loop(r =>
                        {
                            task.Description = Markup.Escape(Describe(r, experiment));
                            task.Value = r.Episode;
                        });
                    });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (training.EpisodesDone > 0 && betweenEpisodes) run.SaveCheckpoint(training.Checkpoint());
            var written = run.ReadEpisodes();
            TrainingPlots.Write(run.Path, written, experiment.Name);
            ReportCommand.Print(written);
        }
        Console.Error.WriteLine(training.Finished
            ? $"finished {experiment.Name}: {training.EpisodesDone} episodes in {run.Path}"
            : $"stopped {experiment.Name} after episode {training.EpisodesDone}; continue with --resume --out {run.Path}");
        return ExitCodes.Ok;
    }

    /// <summary>The settings a resumed run must share with the one it continues: the trained kind's, the
    /// opponents' and the game's (resolved HOCON).</summary>
    private static JObject Settings(ShapingConfig config, Experiment experiment)
    {
        string opponent = experiment.SelfPlay ? "nl" : experiment.Opponent;
        return new JObject
        {
            ["game"] = config.ResolvedText($"shaping.games.{experiment.Game}"),
            [experiment.Kind] = config.ResolvedText($"shaping.learners.{experiment.Kind}"),
            [opponent] = config.ResolvedText($"shaping.learners.{opponent}"),
        };
    }

    private static string Describe(EpisodeRecord r, Experiment experiment)
    {
        var lambda = double.IsNaN(r.Lambda) ? "" : $" λ {r.Lambda:F3}";
        var rewards = string.Join(" ", r.Sides.Select((side, i) => $"{side} {r.Rewards[i]:F3}"));
        var rate = 1 / Math.Max(1e-9, r.RolloutSeconds + r.UpdateSeconds);
        return $"episode {r.Episode}/{experiment.Episodes}{lambda} vs {r.Opponent}: {rewards} ({rate:F2} ep/s)";
    }
}
