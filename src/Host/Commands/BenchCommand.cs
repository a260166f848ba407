using System.CommandLine;
using System.Diagnostics;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using Spectre.Console;
using static TorchSharp.torch;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping bench games`: time per learning step of the exact learners at a given batch, next to the same step
/// written directly with TorchSharp autograd (how the reference computes it), single intra-op thread by default.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "games per step", DefaultValueFactory = _ => 4096 };
        var steps = new Option<int>("--steps") { Description = "timed steps per repeat", DefaultValueFactory = _ => 500 };
        var repeats = new Option<int>("--repeats") { Description = "repeats (the median is reported)", DefaultValueFactory = _ => 5 };
        var gameName = new Option<string>("--game") { Description = "game", DefaultValueFactory = _ => "ipd" };
        var config = ConfigOption.Create();
        var games = new Command("games", "time per exact learning step (nl, lola) vs a direct autograd port") { batch, steps, repeats, gameName, config };
        games.SetAction(p => CommandErrors.Guard(() => RunGames(p.GetValue(gameName)!, p.GetValue(batch), p.GetValue(steps),
            p.GetValue(repeats), p.GetValue(config)!)));
        var mfosConfig = ConfigOption.Create();
        mfosConfig.DefaultValueFactory = _ => ["hocon/experiments/mfos-ipd-nl.conf"];
        var mfosEpisodes = new Option<int>("--episodes") { Description = "timed meta-episodes (after one warm-up)", DefaultValueFactory = _ => 3 };
        var mfos = new Command("mfos", "seconds per M-FOS meta-episode (roll-out, update) and peak memory") { mfosConfig, mfosEpisodes };
        mfos.SetAction(p => CommandErrors.Guard(() => BenchMfos.Run(p.GetValue(mfosConfig)!, p.GetValue(mfosEpisodes))));
        var arenaMembers = new Option<int>("--members") { Description = "league members", DefaultValueFactory = _ => 1024 };
        var arenaMatches = new Option<long>("--matches") { Description = "matches to record", DefaultValueFactory = _ => 1_000_000 };
        var arenaPerRound = new Option<int>("--per-round") { Description = "matches each member draws per round", DefaultValueFactory = _ => 2 };
        var arena = new Command("arena", "the arena's cost per recorded match and its memory as matches grow (no actors)") { arenaMembers, arenaMatches, arenaPerRound };
        arena.SetAction(p => CommandErrors.Guard(() => BenchArena.Run(p.GetValue(arenaMembers), p.GetValue(arenaMatches), p.GetValue(arenaPerRound))));
        return new Command("bench", "benchmarks that print figures for BENCHMARKS.md") { games, mfos, arena, BenchDice.Create() };
    }

    private static int RunGames(string gameName, int batch, int steps, int repeats, string[] configFiles)
    {
        if (batch < 1 || steps < 1 || repeats < 1) throw new ArgumentException("--batch, --steps and --repeats must be ≥ 1");
        var config = ShapingConfig.Load(configFiles);
        config.ApplyTorchSettings();
        var game = config.Game(gameName);
        using var generator = new Generator(1);
        using var own = randn(batch, game.PolicySize, generator: generator);
        using var other = randn(batch, game.PolicySize, generator: generator);
        var exact = new ExactGame(game);
        var nl = config.CreateLearner("nl", game);
        var lola = config.CreateLearner("lola", game);
        // Each case follows its own steps from the same start, so every step meets a new joint policy, as in a match
        // (the fused kernel answers a repeated pair from its EvaluationMemo).
        var cases = new (string Name, Func<Tensor, Tensor> Step)[]
        {
            ("nl (fused kernel)", p => nl.Step(p, other, Seat.Row, generator)),
            ("lola (fused kernel)", p => lola.Step(p, other, Seat.Row, generator)),
            ("nl (autograd port)", p => AutogradNaiveStep(exact, p, other)),
            ("lola (autograd port)", p => AutogradLolaStep(exact, p, other)),
        };
        var table = new Table().Title($"{game.Name}, B = {batch}, {get_num_threads()} intra-op thread(s), fused kernel on {ParallelChunks.DefaultThreads} threads, median of {repeats} × {steps} steps")
            .AddColumn("step").AddColumn(new TableColumn("ms / step").RightAligned());
        foreach (var (name, step) in cases)
        {
            var learnerStep = step;
            int timed = name.Contains("autograd") ? Math.Max(1, steps / 10) : steps;
            var current = own.clone();
            void Advance()
            {
                var next = learnerStep(current);
                current.Dispose();
                current = next;
            }
            for (int i = 0; i < timed; i++) Advance(); // warm-up: lets the JIT reach optimised code
            var samples = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < timed; i++) Advance();
                samples.Add(watch.Elapsed.TotalMilliseconds / timed);
            }
            current.Dispose();
            table.AddRow(name, MachineLimits.Median(samples).ToString("F3"));
        }
        var (play, playOnOne) = MachineLimits.MeasurePlayStepMilliseconds(config, game, batch, steps, repeats);
        table.AddRow("play step, nl vs nl (match loop: both steps + referee)", play.ToString("F3"));
        table.AddRow($"  the same on 1 thread (default {ParallelChunks.DefaultThreads})", playOnOne.ToString("F3"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    private static Tensor AutogradNaiveStep(ExactGame exact, Tensor own, Tensor other)
    {
        using var scope = NewDisposeScope();
        var theta = own.detach().clone().requires_grad_(true);
        var (value, _) = exact.Returns(theta, other);
        var grad = Autodiff.Grad(value.sum(), [theta])[0];
        return (theta.detach() + grad).MoveToOuterDisposeScope();
    }

    private static Tensor AutogradLolaStep(ExactGame exact, Tensor own, Tensor other)
    {
        using var scope = NewDisposeScope();
        var theta = own.detach().clone().requires_grad_(true);
        var phi = other.detach().clone().requires_grad_(true);
        var (ownValue, otherValue) = exact.Returns(theta, phi);
        var ownGrads = Autodiff.Grad(ownValue.sum(), [theta, phi], createGraph: true);
        var otherGrad = Autodiff.Grad(otherValue.sum(), [phi], createGraph: true)[0];
        var shaping = Autodiff.Grad((ownGrads[1] * otherGrad).sum(), [theta])[0];
        return (theta.detach() + ownGrads[0].detach() + shaping).MoveToOuterDisposeScope();
    }
}
