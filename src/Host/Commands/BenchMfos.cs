using System.Diagnostics;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Mfos;
using ShapingCluster.Algorithms.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping bench mfos`: seconds per meta-episode (roll-out and learning update) of a training experiment at its
/// size (M-FOS vs NL by default), and the process's peak resident memory (VmHWM), which bounds one learner's update
/// from above.
/// </summary>
internal static class BenchMfos
{
    public static int Run(string[] configFiles, int episodes)
    {
        if (episodes < 1) throw new ArgumentException("--episodes must be ≥ 1");
        var config = ShapingConfig.Load(configFiles);
        config.ApplyTorchSettings();
        var experiment = config.Experiment() with { Episodes = episodes + 1 };
        var game = config.Game(experiment.Game);
        using var training = new MemberTraining(experiment, game, kind => config.MemberFactory(kind, game));
        training.RunNextEpisode(); // warm-up: JIT and allocator
        var limits = MachineLimits.Measure(config, game, experiment.Batch);
        var cpuSeconds = new List<double>();
        var records = Enumerable.Range(0, episodes).Select(_ => MachineLimits.CpuTimed(() => training.RunNextEpisode(), cpuSeconds)).ToList();
        double Median(Func<EpisodeRecord, double> f) => MachineLimits.Median(records.Select(f));
        var table = new Table()
            .Title($"{experiment.Name}: {experiment.Batch} games × {experiment.MetaSteps} meta-steps, {get_num_threads()} intra-op thread(s), median of {episodes}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("roll-out (s / meta-episode)", Median(r => r.RolloutSeconds).ToString("F2"));
        table.AddRow("learning update (s / meta-episode)", Median(r => r.UpdateSeconds).ToString("F2"));
        table.AddRow("total (s / meta-episode)", Median(r => r.RolloutSeconds + r.UpdateSeconds).ToString("F2"));
        table.AddRow("peak resident memory of the process (MB)", (PeakResidentKilobytes() / 1024.0).ToString("F0"));
        // The arithmetic rate and the kernel comparison are M-FOS's: its network and PPO.
        if (training.Members[0] is MfosAgent mfos)
        {
            limits.AddMfosRows(table, experiment, mfos.Settings, game, records, cpuSeconds);
            MachineLimits.AddKernelComparisonRows(table, experiment, mfos.Settings, game);
        }
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    private static long PeakResidentKilobytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }
}
