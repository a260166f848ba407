using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Mfos;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// What this machine can do, measured in the benchmark's own process so that a benchmark figure can be read as a
/// fraction of it on any machine (issue 15): libtorch's sgemm (1024³, the configured intra-op threads), the
/// multiply-add peak of one core at the SIMD width the kernels use, and the exact kernel's naive-learner step.
/// Also the conditions: CPU model and load average (the machine may be shared).
/// </summary>
internal sealed record MachineLimits(double SgemmGflops, double SimdGflops, int SimdWidth, double NaiveStepMilliseconds,
    string Cpu, string Load)
{
    public static MachineLimits Measure(ShapingConfig config, MatrixGame game, int batch) =>
        new(MeasureSgemmGflops(), MeasureSimdPeakGflops(), Vector<float>.Count, MeasureNaiveStepMilliseconds(config, game, batch, 200, 5),
            CpuModel(), LoadAverage());

    /// <summary>Best of five 1024³ products after two warm-ups: 2·1024³ flops each.</summary>
    public static double MeasureSgemmGflops()
    {
        using var scope = NewDisposeScope();
        const int n = 1024;
        using var generator = new Generator(1);
        var a = randn(n, n, generator: generator);
        var b = randn(n, n, generator: generator);
        double best = double.MaxValue;
        for (int i = 0; i < 7; i++)
        {
            using var inner = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            a.mm(b);
            if (i >= 2) best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>One core's multiply-add throughput on Vector&lt;float&gt; (ten independent chains, enough to cover the
    /// latency of two FMA units), best of three: an upper bound for the hand-written kernels.</summary>
    public static double MeasureSimdPeakGflops()
    {
        const long iterations = 20_000_000;
        MultiplyAdds(iterations / 10);
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            MultiplyAdds(iterations);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 10.0 * iterations * 2 * Vector<float>.Count / best / 1e9;
    }

    /// <summary>Median milliseconds of a naive learner's exact step on arrays at this batch (what a match's play loop
    /// calls), after a warm-up that lets the JIT reach optimised code. The learner follows its own steps, so every
    /// step is asked about a new joint policy (a repeated one would be answered by the kernel's EvaluationMemo).</summary>
    public static double MeasureNaiveStepMilliseconds(ShapingConfig config, MatrixGame game, int batch, int steps, int repeats)
    {
        var learner = config.CreateLearner("nl", game);
        using var generator = new Generator(1);
        float[] own, other;
        using (var scope = NewDisposeScope())
        {
            own = PolicyTensors.ToArray(randn(batch, game.PolicySize, generator: generator));
            other = PolicyTensors.ToArray(randn(batch, game.PolicySize, generator: generator));
        }
        var current = own;
        for (int i = 0; i < steps; i++) current = learner.Step(current, other, batch, Seat.Row, generator);
        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            current = own;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) current = learner.Step(current, other, batch, Seat.Row, generator);
            samples.Add(watch.Elapsed.TotalMilliseconds / steps);
        }
        return Median(samples);
    }

    /// <summary>The middle value (the upper one of an even count): every figure of the benchmarks is a median.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Median milliseconds per step of an NL-vs-NL match through the match loop (both learners' steps, the
    /// referee's valuation, the copies between them): what `shaping play` does per step, without its progress bar.</summary>
    public static (double Default, double OneThread) MeasurePlayStepMilliseconds(ShapingConfig config, MatrixGame game, int batch, int steps, int repeats)
    {
        double Once()
        {
            using var row = new InnerLearnerPlayer(config.CreateLearner("nl", game), Seat.Row, batch, game.PolicySize, 1);
            using var col = new InnerLearnerPlayer(config.CreateLearner("nl", game), Seat.Col, batch, game.PolicySize, 2);
            var watch = Stopwatch.StartNew();
            Match.Play(new MatchReferee(game, batch, steps), row, col);
            return watch.Elapsed.TotalMilliseconds / steps;
        }
        double OnOneThread()
        {
            using var _ = ParallelChunks.Limit(1);
            return Once();
        }
        Once();
        OnOneThread();
        // Interleaved, so that a noisy neighbour slows both figures alike.
        var pairs = Enumerable.Range(0, repeats).Select(_ => (Default: Once(), One: OnOneThread())).ToList();
        return (Median(pairs.Select(p => p.Default)), Median(pairs.Select(p => p.One)));
    }

    /// <summary>The rows `bench mfos` prints next to its seconds: the update's arithmetic rate against sgemm and the
    /// SIMD peak, the roll-out per meta-step against the exact kernel's step, CPU time and the conditions.</summary>
    public void AddMfosRows(Table table, Experiment experiment, PpoSettings ppo, MatrixGame game, IReadOnlyList<EpisodeRecord> records,
        IReadOnlyList<double> cpuSeconds)
    {
        var layout = new ActorCriticLayout(game.PolicySize, ppo.Hidden);
        long samples = (long)experiment.Batch * experiment.MetaSteps;
        double flops = FusedPpoGradient.FlopsPerEpoch(layout, samples) * ppo.Epochs;
        double update = Median(records.Select(r => r.UpdateSeconds));
        double updateGflops = flops / update / 1e9;
        double stepMs = Median(records.Select(r => r.RolloutSeconds)) / experiment.MetaSteps * 1000;
        table.AddRow("update GFLOP (counted)", (flops / 1e9).ToString("F1"));
        table.AddRow("update GFLOPS achieved", updateGflops.ToString("F1"));
        table.AddRow("sgemm 1024³ GFLOPS (libtorch, here)", SgemmGflops.ToString("F1"));
        table.AddRow("update / sgemm", (updateGflops / SgemmGflops).ToString("P0"));
        table.AddRow("update / (threads × sgemm)", (updateGflops / (ParallelChunks.DefaultThreads * SgemmGflops)).ToString("P0"));
        table.AddRow($"SIMD FMA peak GFLOPS, {SimdWidth} floats", SimdGflops.ToString("F1"));
        table.AddRow("update / SIMD peak (1 core)", (updateGflops / SimdGflops).ToString("P0"));
        table.AddRow("update threads", ParallelChunks.DefaultThreads.ToString());
        table.AddRow("roll-out ms / meta-step", stepMs.ToString("F2"));
        table.AddRow($"NL step ms (B = {experiment.Batch}, here)", NaiveStepMilliseconds.ToString("F3"));
        table.AddRow("roll-out meta-step / NL step", (stepMs / NaiveStepMilliseconds).ToString("F1") + "×");
        table.AddRow("CPU s / meta-episode (all threads)", Median(cpuSeconds).ToString("F2"));
        table.AddRow("CPU", Cpu);
        table.AddRow("load average at start (1, 5, 15 min)", Load);
        table.AddRow("load average at end", LoadAverage());
    }

    /// <summary>What the fused kernel buys, measured here on a synthetic trajectory of the experiment's size (the
    /// arithmetic does not depend on the values): one PPO update by the fused kernel on all cores and on one, and by
    /// libtorch's autograd (the path the kernel replaced, kept as the tests' reference); and one acting step (the
    /// meta-policy's sample for all games) by the fused kernel and by the autograd network under no_grad.</summary>
    public static void AddKernelComparisonRows(Table table, Experiment experiment, PpoSettings ppo, MatrixGame game)
    {
        int batch = experiment.Batch, d = game.PolicySize;
        var trajectory = new MetaTrajectory(batch, d);
        var random = new Random(15);
        float[] Draw(int n, double scale, double shift) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * scale + shift)).ToArray();
        for (int t = 0; t < experiment.MetaSteps; t++)
        {
            trajectory.AddDecision(Draw(batch * 2 * d, 1, 0), Draw(batch * d, 4, -2), Draw(batch, 2, -8));
            trajectory.AddReward(Draw(batch, 3, -3));
        }
        double Update(Action<ActorCritic, optim.Optimizer> update)
        {
            using var init = new Generator(15);
            using var network = new ActorCritic(d, ppo.Hidden, init);
            using var adam = optim.Adam(network.parameters(), ppo.LearningRate);
            var watch = Stopwatch.StartNew();
            update(network, adam);
            return watch.Elapsed.TotalSeconds;
        }
        var settings = ppo;
        double fused = Update((n, o) => PpoUpdate.Apply(n, o, trajectory, settings));
        double fusedOne = Update((n, o) => PpoUpdate.Apply(n, o, trajectory, settings, 1));
        double autograd = Update((n, o) => PpoUpdate.ApplyWithAutograd(n, o, trajectory, settings));
        table.AddRow($"fused update s, {ParallelChunks.DefaultThreads} threads / 1", $"{fused:F2} / {fusedOne:F2}");
        table.AddRow("autograd update s, same data", $"{autograd:F2} ({autograd / fused:F1}×)");

        using var scope = NewDisposeScope();
        using var init = new Generator(16);
        using var network = new ActorCritic(d, ppo.Hidden, init);
        using var generator = new Generator(17);
        var states = rand(batch, 2 * d, generator: generator);
        double Act(Action act)
        {
            for (int i = 0; i < 10; i++) act();
            var samples = Enumerable.Range(0, 20).Select(_ =>
            {
                var watch = Stopwatch.StartNew();
                act();
                return watch.Elapsed.TotalMilliseconds;
            }).Order().ToList();
            return samples[samples.Count / 2];
        }
        double fusedAct = Act(() => { using var s = NewDisposeScope(); network.FusedSample(states, generator); });
        double autogradAct = Act(() =>
        {
            using var s = NewDisposeScope();
            using var _ = no_grad();
            var (mean, variance) = network.Policy(states);
            DiagonalGaussian.LogProb(DiagonalGaussian.Sample(mean, variance, generator), mean, variance);
        });
        table.AddRow($"act ms, {batch} games: fused / autograd", $"{fusedAct:F2} / {autogradAct:F2}");
    }

    /// <summary>Runs <paramref name="work"/> and adds the process's CPU time it took (all threads) to the list.</summary>
    public static T CpuTimed<T>(Func<T> work, List<double> cpuSeconds)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var result = work();
        cpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
        return result;
    }

    private static string CpuModel()
    {
        var line = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            : null;
        return $"{line?.Split(':', 2)[1].Trim() ?? "unknown"} ×{Environment.ProcessorCount}";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float MultiplyAdds(long iterations)
    {
        var a0 = Vector<float>.One; Vector<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        var m = new Vector<float>(0.9999f);
        var c = new Vector<float>(1e-4f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector.MultiplyAddEstimate(a0, m, c); a1 = Vector.MultiplyAddEstimate(a1, m, c);
            a2 = Vector.MultiplyAddEstimate(a2, m, c); a3 = Vector.MultiplyAddEstimate(a3, m, c);
            a4 = Vector.MultiplyAddEstimate(a4, m, c); a5 = Vector.MultiplyAddEstimate(a5, m, c);
            a6 = Vector.MultiplyAddEstimate(a6, m, c); a7 = Vector.MultiplyAddEstimate(a7, m, c);
            a8 = Vector.MultiplyAddEstimate(a8, m, c); a9 = Vector.MultiplyAddEstimate(a9, m, c);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9)[0];
    }
}
