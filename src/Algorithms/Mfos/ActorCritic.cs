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
    /// out (what an M-FOS player holds between steps, so no tensor is made for it).</summary>
    public (float[] Action, float[] LogProb) FusedSample(ReadOnlySpan<float> states, int batch, Generator generator)
    {
        int d = PolicySize;
        if (states.Length != batch * 2 * d) throw new ArgumentException($"meta-states must be [{batch}, {2 * d}]");
        float[] noise;
        using (var scope = NewDisposeScope())
            noise = MemoryMarshal.Cast<byte, float>(randn([batch, d], generator: generator).bytes).ToArray();
        var (mean, variance) = FusedPolicy(states, batch);
        // Operation by operation as DiagonalGaussian computes them: a = μ + √σ² · ε, then per sample
        // −½ Σ (a − μ)²/σ² + log σ² + log 2π, the terms added in logit order. Elementwise in SIMD, the sums per sample.
        var action = new float[batch * d];
        var terms = new float[batch * d];
        float logTwoPi = (float)Math.Log(2 * Math.PI);
        var logTwoPis = new Vector<float>(logTwoPi);
        int lanes = Vector<float>.Count, i = 0;
        for (; i + lanes <= action.Length; i += lanes)
        {
            var mu = new Vector<float>(mean, i);
            var v = new Vector<float>(variance, i);
            var a = mu + Vector.SquareRoot(v) * new Vector<float>(noise, i);
            a.CopyTo(action, i);
            var difference = a - mu;
            (difference * difference / v + Vector.Log(v) + logTwoPis).CopyTo(terms, i);
        }
        for (; i < action.Length; i++)
        {
            action[i] = mean[i] + MathF.Sqrt(variance[i]) * noise[i];
            float difference = action[i] - mean[i];
            terms[i] = difference * difference / variance[i] + MathF.Log(variance[i]) + logTwoPi;
        }
        var logProb = new float[batch];
        for (int s = 0; s < batch; s++)
        {
            float sum = 0;
            for (int k = s * d; k < (s + 1) * d; k++) sum += terms[k];
            logProb[s] = -0.5f * sum;
        }
        return (action, logProb);
    }

    /// <summary>Mean and variance [B, d] (row-major) of the next inner policy given meta-states [B, 2d], by the fused
    /// kernel: the same function as <see cref="Policy"/> without a graph. Large batches are spread over the cores in
    /// chunks (each sample's result does not depend on which).</summary>
    public (float[] Mean, float[] Variance) FusedPolicy(ReadOnlySpan<float> states, int batch)
    {
        int d = PolicySize, tileSamples = ActorCriticTile.Samples;
        if (states.Length != batch * 2 * d) throw new ArgumentException($"meta-states must be [{batch}, {2 * d}]");
        var parameters = ParameterValues();
        var mean = new float[batch * d];
        var variance = new float[batch * d];
        var input = states.ToArray();
        int chunkSize = Math.Max(tileSamples, PolicyChunk / tileSamples * tileSamples);
        ParallelChunks.Run((batch + chunkSize - 1) / chunkSize, PpoUpdate.DefaultThreads, () => (Tile: new ActorCriticTile(Layout), Outputs: new float[tileSamples * 2 * d]),
            (chunk, work) =>
            {
                work.Tile.Use(parameters);
                for (int start = chunk * chunkSize; start < Math.Min(batch, (chunk + 1) * chunkSize); start += tileSamples)
                {
                    int count = Math.Min(tileSamples, batch - start);
                    work.Tile.LoadStates(input.AsSpan(start * 2 * d, count * 2 * d), count);
                    work.Tile.ForwardActor();
                    var raw = work.Tile.ActorOutputs;
                    for (int i = d * ActorCriticTile.Blocks; i < raw.Length; i++) raw[i] = VectorMath.Softplus(raw[i]);
                    ActorCriticTile.FromSoa(raw, count, 2 * d, work.Outputs);
                    for (int s = 0; s < count; s++)
                    {
                        work.Outputs.AsSpan(s * 2 * d, d).CopyTo(mean.AsSpan((start + s) * d, d));
                        work.Outputs.AsSpan(s * 2 * d + d, d).CopyTo(variance.AsSpan((start + s) * d, d));
                    }
                }
            });
        return (mean, variance);
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
