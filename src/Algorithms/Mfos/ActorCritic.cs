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

    /// <summary><see cref="Policy"/> by the fused kernel, without a graph: tensors [B, d] in the caller's dispose scope.</summary>
    public (Tensor Mean, Tensor Variance) FusedPolicy(Tensor state)
    {
        if (state.dim() != 2 || state.shape[1] != 2 * PolicySize) throw new ArgumentException($"meta-states must be [B, {2 * PolicySize}]");
        int batch = (int)state.shape[0];
        float[] states;
        using (var scope = NewDisposeScope())
            states = MemoryMarshal.Cast<byte, float>(state.detach().to(ScalarType.Float32).contiguous().bytes).ToArray();
        var (mean, variance) = FusedPolicy(states, batch);
        return (NativeTensors.Of(mean, batch, PolicySize), NativeTensors.Of(variance, batch, PolicySize));
    }

    /// <summary>Mean and variance [B, d] (row-major) of the next inner policy given meta-states [B, 2d], by the fused
    /// kernel: the same function as <see cref="Policy"/> without a graph, for acting.</summary>
    public (float[] Mean, float[] Variance) FusedPolicy(ReadOnlySpan<float> states, int batch)
    {
        int d = PolicySize, tileSamples = ActorCriticTile.Samples;
        if (states.Length != batch * 2 * d) throw new ArgumentException($"meta-states must be [{batch}, {2 * d}]");
        var tile = new ActorCriticTile(Layout);
        tile.Use(ParameterValues());
        var mean = new float[batch * d];
        var variance = new float[batch * d];
        var outputs = new float[tileSamples * 2 * d];
        for (int start = 0; start < batch; start += tileSamples)
        {
            int count = Math.Min(tileSamples, batch - start);
            tile.LoadStates(states.Slice(start * 2 * d, count * 2 * d), count);
            tile.ForwardActor();
            var raw = tile.ActorOutputs;
            for (int i = d * ActorCriticTile.Blocks; i < raw.Length; i++) raw[i] = VectorMath.Softplus(raw[i]);
            ActorCriticTile.FromSoa(raw, count, 2 * d, outputs);
            for (int s = 0; s < count; s++)
            {
                outputs.AsSpan(s * 2 * d, d).CopyTo(mean.AsSpan((start + s) * d, d));
                outputs.AsSpan(s * 2 * d + d, d).CopyTo(variance.AsSpan((start + s) * d, d));
            }
        }
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
