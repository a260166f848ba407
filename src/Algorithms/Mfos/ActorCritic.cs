using System.Numerics;
using System.Runtime.InteropServices;
using ShapingCluster.Algorithms.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// M-FOS's network (mfos.md §3): separate actor Linear(2d→h)–Tanh–Linear(h→2d), whose first d outputs are the mean
/// of the next inner policy's logits and last d, through softplus, its variance; and critic Linear(2d→h)–Tanh–
/// Linear(h→1). Initialised like PyTorch's Linear (U(±1/√fan_in)) from the given generator, so runs are repeatable.
/// The parameters live here (libtorch tensors: Adam, save and load); <see cref="Policy"/> and <see cref="Value"/>
/// are the autograd network, <see cref="FusedPolicy"/> and <see cref="FusedPpoGradient"/> the same functions by the
/// hand-written SIMD kernel (<see cref="ActorCriticTile"/>), which the tests hold against autograd.
/// </summary>
public sealed class ActorCritic : nn.Module
{
    private readonly Linear _actorIn, _actorOut, _criticIn, _criticOut;

    public ActorCritic(int policySize, int hidden, Generator generator) : base(nameof(ActorCritic))
    {
        PolicySize = policySize;
        Layout = new ActorCriticLayout(policySize, hidden);
        _actorIn = nn.Linear(2 * policySize, hidden);
        _actorOut = nn.Linear(hidden, 2 * policySize);
        _criticIn = nn.Linear(2 * policySize, hidden);
        _criticOut = nn.Linear(hidden, 1);
        RegisterComponents();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var layer in new[] { _actorIn, _actorOut, _criticIn, _criticOut })
        {
            double bound = 1 / Math.Sqrt(layer.in_features);
            layer.weight!.copy_(rand(layer.weight.shape, generator: generator) * (2 * bound) - bound);
            layer.bias!.copy_(rand(layer.bias.shape, generator: generator) * (2 * bound) - bound);
        }
    }

    /// <summary>Samples per parallel chunk when acting: 4096 games make 8 chunks for two cores, taken in turn, so the
    /// caller's thread does not wait out a helper thread that started late (two 2048-sample halves did: a 2048-game
    /// policy took 1.35 ms as one chunk, 0.75 ms as four on two threads; probe, idle machine).</summary>
    private const int PolicyChunk = 512;

    public int PolicySize { get; }
    public ActorCriticLayout Layout { get; }

    /// <summary>Mean and variance [N, d] of the next inner policy given meta-states [N, 2d].</summary>
    public (Tensor Mean, Tensor Variance) Policy(Tensor state)
    {
        using var hidden = _actorIn.forward(state).tanh_();
        using var output = _actorOut.forward(hidden);
        return (output.narrow(-1, 0, PolicySize), nn.functional.softplus(output.narrow(-1, PolicySize, PolicySize)));
    }

    /// <summary>State values [N].</summary>
    public Tensor Value(Tensor state)
    {
        using var hidden = _criticIn.forward(state).tanh_();
        return _criticOut.forward(hidden).squeeze(-1);
    }

    /// <summary>Samples the next inner policies [B, d] from the meta-policy given meta-states [B, 2d], and their
    /// log-probabilities [B], by the fused kernel: what <see cref="Policy"/> followed by
    /// <see cref="DiagonalGaussian.Sample"/> and <see cref="DiagonalGaussian.LogProb"/> compute (the same draws from
    /// <paramref name="generator"/>), without a graph. Tensors in the caller's dispose scope.</summary>
    public (Tensor Action, Tensor LogProb) FusedSample(Tensor state, Generator generator)
    {
        if (state.dim() != 2 || state.shape[1] != 2 * PolicySize) throw new ArgumentException($"meta-states must be [B, {2 * PolicySize}]");
        int batch = (int)state.shape[0];
        float[] states;
        using (var scope = NewDisposeScope())
            states = MemoryMarshal.Cast<byte, float>(state.detach().to(ScalarType.Float32).contiguous().bytes).ToArray();
        var (action, logProb) = FusedSample(states, batch, generator);
        return (NativeTensors.Of(action, batch, PolicySize), NativeTensors.Of(logProb, batch));
    }

    /// <summary>The same sample on arrays: meta-states [B, 2d] row-major in, actions [B, d] and log-probabilities [B]
    /// out (what an M-FOS player holds between steps, so no tensor is made for it). The noise is drawn first (the
    /// generator's order), then each tile of samples goes from meta-state to action and log-probability on whichever
    /// core takes it, without mean and variance arrays in between.</summary>
    public (float[] Action, float[] LogProb) FusedSample(float[] states, int batch, Generator generator)
    {
        int d = PolicySize;
        if (states.Length != batch * 2 * d) throw new ArgumentException($"meta-states must be [{batch}, {2 * d}]");
        float[] noise;
        using (var scope = NewDisposeScope())
            noise = MemoryMarshal.Cast<byte, float>(randn([batch, d], generator: generator).bytes).ToArray();
        var action = new float[batch * d];
        var logProb = new float[batch];
        float logTwoPi = (float)Math.Log(2 * Math.PI);
        int blocks = ActorCriticTile.Blocks;
        ForEachTile(states, batch, (work, start, count) =>
        {
            // Operation by operation as DiagonalGaussian computes them, a lane per sample: a = μ + √σ² · ε, then
            // −½ Σ (a − μ)²/σ² + log σ² + log 2π, the terms added in logit order.
            var raw = work.Tile.ActorOutputs;
            ActorCriticTile.ToSoa(noise.AsSpan(start * d, count * d), count, d, work.Noise);
            var logTwoPis = new Vector<float>(logTwoPi);
            for (int b = 0; b < blocks; b++)
            {
                var sum = Vector<float>.Zero;
                for (int k = 0; k < d; k++)
                {
                    var mu = raw[k * blocks + b];
                    var v = raw[(d + k) * blocks + b];
                    var a = mu + Vector.SquareRoot(v) * work.Noise[k * blocks + b];
                    work.Action[k * blocks + b] = a;
                    var difference = a - mu;
                    sum += difference * difference / v + Vector.Log(v) + logTwoPis;
                }
                work.LogProb[b] = new Vector<float>(-0.5f) * sum;
            }
            ActorCriticTile.FromSoa(work.Action, count, d, action.AsSpan(start * d, count * d));
            ActorCriticTile.FromSoa(work.LogProb, count, 1, logProb.AsSpan(start, count));
        });
        return (action, logProb);
    }

    /// <summary>Mean and variance [B, d] (row-major) of the next inner policy given meta-states [B, 2d], by the fused
    /// kernel: the same function as <see cref="Policy"/> without a graph.</summary>
    public (float[] Mean, float[] Variance) FusedPolicy(float[] states, int batch)
    {
        int d = PolicySize;
        if (states.Length != batch * 2 * d) throw new ArgumentException($"meta-states must be [{batch}, {2 * d}]");
        var mean = new float[batch * d];
        var variance = new float[batch * d];
        ForEachTile(states, batch, (work, start, count) =>
        {
            var raw = work.Tile.ActorOutputs;
            ActorCriticTile.FromSoa(raw[..(d * ActorCriticTile.Blocks)], count, d, mean.AsSpan(start * d, count * d));
            ActorCriticTile.FromSoa(raw[(d * ActorCriticTile.Blocks)..], count, d, variance.AsSpan(start * d, count * d));
        });
        return (mean, variance);
    }

    /// <summary>Runs the actor on every tile of meta-states and hands each tile's outputs (mean, then variance
    /// through softplus, in the tile's layout) to <paramref name="consume"/> with the tile's first sample and
    /// count. Large batches are spread over the cores in chunks of tiles (each sample's result does not depend on
    /// which).</summary>
    private void ForEachTile(float[] states, int batch, Action<ActingWorkspace, int, int> consume)
    {
        int d = PolicySize, tileSamples = ActorCriticTile.Samples;
        var parameters = ParameterValues();
        int chunkSize = Math.Max(tileSamples, PolicyChunk / tileSamples * tileSamples);
        ParallelChunks.Run((batch + chunkSize - 1) / chunkSize, ParallelChunks.DefaultThreads, () => ActingWorkspace.OfThread(Layout),
            (chunk, work) =>
            {
                work.Tile.Use(parameters);
                for (int start = chunk * chunkSize; start < Math.Min(batch, (chunk + 1) * chunkSize); start += tileSamples)
                {
                    int count = Math.Min(tileSamples, batch - start);
                    work.Tile.LoadStates(states.AsSpan(start * 2 * d, count * 2 * d), count);
                    work.Tile.ForwardActor();
                    var raw = work.Tile.ActorOutputs;
                    for (int i = d * ActorCriticTile.Blocks; i < raw.Length; i++) raw[i] = VectorMath.Softplus(raw[i]);
                    consume(work, start, count);
                }
            });
    }

    /// <summary>A tile and the sampling's buffers in its layout, one per thread and network shape, kept between
    /// calls: a tile is 80 KB, and making two per act was a sixth of a roll-out's allocations (189 → 156 MB per
    /// 100-step match, probe).</summary>
    private sealed class ActingWorkspace(ActorCriticLayout layout)
    {
        [ThreadStatic] private static ActingWorkspace? _ofThread;

        public ActorCriticLayout Layout { get; } = layout;
        public ActorCriticTile Tile { get; } = new(layout);
        public Vector<float>[] Noise { get; } = new Vector<float>[layout.PolicySize * ActorCriticTile.Blocks];
        public Vector<float>[] Action { get; } = new Vector<float>[layout.PolicySize * ActorCriticTile.Blocks];
        public Vector<float>[] LogProb { get; } = new Vector<float>[ActorCriticTile.Blocks];

        public static ActingWorkspace OfThread(ActorCriticLayout layout) =>
            _ofThread is { } kept && kept.Layout == layout ? kept : _ofThread = new ActingWorkspace(layout);
    }

    /// <summary>A copy of every parameter's current value.</summary>
    public ActorCriticParameters ParameterValues()
    {
        var values = new ActorCriticParameters(Layout);
        foreach (var (tensor, (offset, _)) in InLayoutOrder().Zip(Layout.Pieces()))
        {
            using var scope = NewDisposeScope();
            var source = MemoryMarshal.Cast<byte, float>(tensor.detach().contiguous().bytes);
            source.CopyTo(values.Values.AsSpan(offset, source.Length));
        }
        return values;
    }

    /// <summary>Sets every parameter's gradient (what backward() would have left there) for the optimizer's next step.</summary>
    public void SetGradients(ActorCriticParameters gradient)
    {
        if (gradient.Layout != Layout) throw new ArgumentException("the gradient does not fit this network");
        foreach (var (parameter, (offset, shape)) in InLayoutOrder().Zip(Layout.Pieces()))
        {
            using var scope = NewDisposeScope();
            var values = NativeTensors.Of(gradient.Values.AsSpan(offset, (int)shape.Aggregate(1L, (a, b) => a * b)), shape);
            var existing = parameter.grad;
            if (existing is null) parameter.grad = values;
            else existing.copy_(values);
        }
    }

    /// <summary>Every parameter's current gradient (zeros where there is none), in <see cref="ActorCriticLayout"/>'s
    /// order.</summary>
    public float[][] GradientsInLayoutOrder()
    {
        using var scope = NewDisposeScope();
        return InLayoutOrder().Select(p => p.grad is { } g ? g.contiguous().data<float>().ToArray() : new float[p.numel()]).ToArray();
    }

    private Parameter[] InLayoutOrder() =>
        [_actorIn.weight!, _actorIn.bias!, _actorOut.weight!, _actorOut.bias!, _criticIn.weight!, _criticIn.bias!, _criticOut.weight!, _criticOut.bias!];
}
