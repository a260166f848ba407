using System.CommandLine;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Mfos;
using ShapingCluster.Host.Runs;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping train`: a population (a file setting shaping.population) on the embedded one-node cluster, or one M-FOS
/// experiment in this process. Writes the run directory as it goes; Ctrl-C stops after
/// the current episode with a checkpoint, the episodes and the plots written; --resume continues from the newest
/// checkpoint and plays exactly the episodes an uninterrupted run would have.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        config.Required = true;
        var output = new Option<string?>("--out") { Description = "run directory (default runs/<experiment>-<time>)" };
        var episodes = new Option<int?>("--episodes") { Description = "override shaping.experiment.episodes" };
        var seed = new Option<long?>("--seed") { Description = "override shaping.experiment.seed" };
        var rounds = new Option<int?>("--rounds") { Description = "override shaping.population.rounds" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its newest checkpoint" };
        var quiet = new Option<bool>("--quiet") { Description = "no live progress, one line per episode" };
        var command = new Command("train", "train a population (shaping.population) on this machine, or M-FOS as a shaping.experiment describes (hocon/experiments/*.conf)")
        {
            config, output, episodes, rounds, seed, resume, quiet,
        };
        command.SetAction(p => CommandErrors.Guard(() => Run(p.GetValue(config)!, p.GetValue(output), p.GetValue(episodes),
            p.GetValue(rounds), p.GetValue(seed), p.GetValue(resume), p.GetValue(quiet))));
        return command;
    }

    private static int Run(string[] configFiles, string? output, int? episodes, int? rounds, long? seed, bool resume, bool quiet)
    {
        var config = ShapingConfig.Load(configFiles);
        if (config.DescribesPopulation)
        {
            if (episodes is not null || seed is not null) throw new ArgumentException("--episodes and --seed apply to M-FOS experiments; a population sets shaping.population.rounds and .seed");
            if (rounds is { } r)
            {
                // The override becomes one more configuration file, so it is copied into the run and resumes with it.
                if (r < 1) throw new ArgumentException($"--rounds must be ≥ 1, got {r}");
                var overrides = Path.Combine(Path.GetTempPath(), $"shaping-rounds-{Environment.ProcessId}.conf");
                File.WriteAllText(overrides, $"shaping.population.rounds = {r}\n");
                configFiles = [.. configFiles, overrides];
                config = ShapingConfig.Load(configFiles);
            }
            var population = config.Population();
            if (resume && output is null) throw new ArgumentException("--resume needs --out naming the run directory");
            var directory = output ?? Path.Combine("runs", $"{population.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            bool exists = File.Exists(Path.Combine(directory, "run.json"));
            if (exists && !resume) throw new ArgumentException($"{directory} already holds a run; pass --resume to continue it or choose another --out");
            if (!exists && resume) throw new ArgumentException($"{directory} holds no run to resume");
            return PopulationHost.Run(config, configFiles, directory, port: 0, seedNodes: [], quiet, stayAfterFinish: false);
        }
        if (rounds is not null) throw new ArgumentException("--rounds applies to populations (shaping.population); an M-FOS experiment takes --episodes");
        config.ApplyTorchSettings();
        var experiment = config.Experiment();
        if (episodes is { } e) experiment = (experiment with { Episodes = e }).Validated();
        if (seed is { } s) experiment = experiment with { Seed = s };
        var game = config.Game(experiment.Game);
        if (resume && output is null) throw new ArgumentException("--resume needs --out naming the run directory");
        var run = new RunDirectory(output ?? Path.Combine("runs", $"{experiment.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        using var training = new MfosTraining(experiment, game, name => config.CreateLearner(name, game));
        if (resume)
        {
            if (!run.HoldsRun) throw new ArgumentException($"{run.Path} holds no run to resume");
            var checkpoint = run.Checkpoints().LastOrDefault()
                ?? throw new ArgumentException($"{run.Path} has no checkpoint to resume from");
            using (var stream = File.OpenRead(checkpoint)) training.LoadCheckpoint(stream);
            run.TruncateEpisodes(training.EpisodesDone);
            Console.Error.WriteLine($"resuming {experiment.Name} after episode {training.EpisodesDone} from {checkpoint}");
        }
        else
        {
            if (run.HoldsRun) throw new ArgumentException($"{run.Path} already holds a run; pass --resume to continue it or choose another --out");
            run.Create(experiment, config.Root.GetConfig("shaping.experiment").ToString(includeFallback: true), configFiles);
        }

        bool stopRequested = false;
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true; // finish the current episode, then stop cleanly
            stopRequested = true;
            Console.Error.WriteLine("stopping after the current episode...");
        };
        Console.CancelKeyPress += onCancel;
        // A checkpoint is written on the way out only after a whole episode: an exception in the middle of one (in
        // self-play, after one agent has learned and before the other has) would leave a state no episode count names.
        bool betweenEpisodes = true;
        try
        {
            void Loop(Action<EpisodeRecord> report)
            {
                while (!training.Finished && !stopRequested)
                {
                    betweenEpisodes = false;
                    var record = training.RunNextEpisode();
                    run.AppendEpisode(record);
                    betweenEpisodes = true;
                    if (record.Episode % experiment.CheckpointEvery == 0) run.SaveCheckpoint(training);
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
            if (training.EpisodesDone > 0 && betweenEpisodes) run.SaveCheckpoint(training);
            var written = run.ReadEpisodes();
            TrainingPlots.Write(run.Path, written, experiment.Name);
            ReportCommand.Print(written);
        }
        Console.Error.WriteLine(training.Finished
            ? $"finished {experiment.Name}: {training.EpisodesDone} episodes in {run.Path}"
            : $"stopped {experiment.Name} after episode {training.EpisodesDone}; continue with --resume --out {run.Path}");
        return ExitCodes.Ok;
    }

    private static string Describe(EpisodeRecord r, MfosExperiment experiment)
    {
        var lambda = double.IsNaN(r.Lambda) ? "" : $" λ {r.Lambda:F3}";
        var rewards = string.Join(" ", r.Sides.Select((side, i) => $"{side} {r.Rewards[i]:F3}"));
        var rate = 1 / Math.Max(1e-9, r.RolloutSeconds + r.UpdateSeconds);
        return $"episode {r.Episode}/{experiment.Episodes}{lambda} vs {r.Opponent}: {rewards} ({rate:F2} ep/s)";
    }
}
