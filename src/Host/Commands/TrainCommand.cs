using System.CommandLine;
using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping train`: a population (a file setting shaping.population) on the embedded one-node cluster
/// (<see cref="PopulationHost"/>), or one training experiment (shaping.experiment) in this process
/// (<see cref="ExperimentRun"/>).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        config.Required = true;
        var output = new Option<string?>("--out") { Description = "run directory (default runs/<name>-<time>)" };
        var episodes = new Option<int?>("--episodes") { Description = "override shaping.experiment.episodes" };
        var seed = new Option<long?>("--seed") { Description = "override shaping.experiment.seed" };
        var rounds = new Option<int?>("--rounds") { Description = "override shaping.population.rounds" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out (from its newest checkpoint or its journal)" };
        var quiet = new Option<bool>("--quiet") { Description = "no live progress, one line per episode or match" };
        var http = Web.HttpOption.Create();
        var command = new Command("train", "train a population (shaping.population) on this machine, or a learner kind as a shaping.experiment describes (hocon/experiments/*.conf)")
        {
            config, output, episodes, rounds, seed, resume, quiet, http,
        };
        command.SetAction(p => CommandErrors.Guard(() => Run(p.GetValue(config)!, p.GetValue(output), p.GetValue(episodes),
            p.GetValue(rounds), p.GetValue(seed), p.GetValue(resume), p.GetValue(quiet), p.GetValue(http))));
        return command;
    }

    private static int Run(string[] configFiles, string? output, int? episodes, int? rounds, long? seed, bool resume, bool quiet, string? http)
    {
        var config = ShapingConfig.Load(configFiles);
        if (resume && output is null) throw new ArgumentException("--resume needs --out naming the run directory");
        if (config.DescribesPopulation)
        {
            if (episodes is not null || seed is not null)
                throw new ArgumentException("--episodes and --seed apply to training experiments; a population sets shaping.population.rounds and .seed");
            // The override becomes part of the run's configuration, so it is copied into the run and resumes with it.
            string[] overrides = [];
            if (rounds is { } r)
            {
                if (r < 1) throw new ArgumentException($"--rounds must be ≥ 1, got {r}");
                overrides = [$"shaping.population.rounds = {r}"];
                config = ShapingConfig.Load(configFiles, overrides);
            }
            var population = config.Population();
            var directory = output ?? Path.Combine("runs", $"{population.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            bool exists = Runs.RunFile.Exists(directory);
            if (exists && !resume) throw new ArgumentException($"{directory} already holds a run; pass --resume to continue it or choose another --out");
            if (!exists && resume) throw new ArgumentException($"{directory} holds no run to resume");
            // An embedded run has no certificates a client could hold: its dashboard is loopback only.
            var dashboard = Web.HttpOption.Parse(http, certificates: null);
            return PopulationHost.Run(config, configFiles, overrides, directory, port: 0, seedNodes: [], quiet, stayAfterFinish: false, http: dashboard);
        }
        if (rounds is not null) throw new ArgumentException("--rounds applies to populations (shaping.population); an experiment takes --episodes");
        if (http is not null) throw new ArgumentException("--http serves a population's dashboard; a training experiment writes TensorBoard events to DIR/tb instead");
        return ExperimentRun.Run(config, configFiles, output, episodes, seed, resume, quiet);
    }
}
