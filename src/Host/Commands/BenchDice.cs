using System.CommandLine;
using System.Diagnostics;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using Spectre.Console;
using static TorchSharp.torch;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping bench dice`: milliseconds per LOLA-DiCE learning step at the issue-16 size (32 games × 64 roll-outs ×
/// 150 steps, 1 look-ahead), next to its parts and to a fixed libtorch workload timed in the same process, so that
/// figures taken on a busy shared machine can be compared as ratios.
/// </summary>
internal static class BenchDice
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "games per step", DefaultValueFactory = _ => 32 };
        var rollouts = new Option<int>("--rollouts") { Description = "roll-outs per game", DefaultValueFactory = _ => 64 };
        var length = new Option<int>("--length") { Description = "steps per roll-out", DefaultValueFactory = _ => 150 };
        var lookahead = new Option<int>("--lookahead") { Description = "look-ahead steps", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "timed steps per repeat", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats") { Description = "repeats (min and median are reported)", DefaultValueFactory = _ => 7 };
        var config = ConfigOption.Create();
        var command = new Command("dice", "ms per LOLA-DiCE learning step (32 games × 64 roll-outs × 150 steps) and its parts")
        {
            batch, rollouts, length, lookahead, steps, repeats, config,
        };
        command.SetAction(p => CommandErrors.Guard(() => Run(p.GetValue(batch), p.GetValue(rollouts), p.GetValue(length),
            p.GetValue(lookahead), p.GetValue(steps), p.GetValue(repeats), p.GetValue(config)!)));
        return command;
    }

    private static int Run(int batch, int rollouts, int length, int lookahead, int steps, int repeats, string[] configFiles)
    {
        if (batch < 1 || rollouts < 1 || length < 1 || steps < 1 || repeats < 1 || lookahead < 0)
            throw new ArgumentException("--batch, --rollouts, --length, --steps and --repeats must be ≥ 1, --lookahead ≥ 0");
        var config = ShapingConfig.Load(configFiles);
        config.ApplyTorchSettings();
        var game = config.Game("ipd");
        var settings = config.LearnerSettings("lola-dice", game) with
        {
            Rollouts = rollouts, RolloutLength = length, LookaheadSteps = lookahead,
        };
        var dice = LearnerCatalog.Create("lola-dice", game, settings);
        var naive = LearnerCatalog.Create("nl-pg", game, config.LearnerSettings("nl-pg", game) with { Rollouts = rollouts, RolloutLength = length });
        var sampled = new SampledGame(game);
        using var generator = new Generator(1);
        using var own = randn(batch, game.PolicySize, generator: generator);
        using var other = randn(batch, game.PolicySize, generator: generator);
        using var reference = randn(batch, rollouts, length, generator: generator);
        var cases = new (string Name, Action Step)[]
        {
            ($"lola-dice step ({lookahead} look-ahead{(lookahead == 1 ? "" : "s")})", () => dice.Step(own, other, Seat.Row, generator).Dispose()),
            ("nl-pg step", () => naive.Step(own, other, Seat.Row, generator).Dispose()),
            ("roll-out alone (no gradient)", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                sampled.Play(own, other, rollouts, length, generator).Dispose();
            }),
            ($"reference: exp of a [{batch}, {rollouts}, {length}] tensor", () => reference.exp().Dispose()),
        };
        var timings = cases.Select(c => (c.Name, Ms: Time(c.Step, steps, repeats))).ToList();
        double referenceMs = timings[^1].Ms.Median;
        var table = new Table()
            .Title($"ipd, {batch} games × {rollouts} roll-outs × {length} steps, {get_num_threads()} intra-op thread(s), " +
                   $"{repeats} repeats × {steps} steps")
            .AddColumn("step").AddColumn(new TableColumn("min ms").RightAligned()).AddColumn(new TableColumn("median ms").RightAligned())
            .AddColumn(new TableColumn("median / reference").RightAligned());
        foreach (var (name, ms) in timings)
            table.AddRow(Markup.Escape(name), ms.Min.ToString("F2"), ms.Median.ToString("F2"), (ms.Median / referenceMs).ToString("F1"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    private static (double Min, double Median) Time(Action step, int steps, int repeats)
    {
        for (int i = 0; i < steps; i++) step(); // warm-up: JIT and allocator
        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) step();
            samples.Add(watch.Elapsed.TotalMilliseconds / steps);
        }
        return (samples.Min(), MachineLimits.Median(samples));
    }
}
