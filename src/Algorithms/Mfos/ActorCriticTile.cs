using System.Numerics;
using System.Runtime.InteropServices;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// <see cref="ActorCritic"/>'s forward and backward pass written by hand for one tile of samples (Blocks SIMD
/// vectors of consecutive samples, structure of arrays), so that the 256-wide hidden activations stay in cache
/// and no op is a separate pass over memory. The backward pass adds each weight's gradient, still one partial sum
/// per SIMD lane, into this tile's sums; <see cref="AddSumsTo"/> adds the lanes up. A tile is one thread's
/// workspace: it is not shared. Tested against the autograd network (values and gradients, a batch that is not
/// a whole number of tiles).
/// </summary>
public sealed class ActorCriticTile
{
    /// <summary>SIMD vectors per row of a tile: 8 keeps a tile's two hidden layers (2 × 256 × 8 vectors, 128 KB
    /// with AVX2) in the L2 cache and amortises loading the gradient sums over 8 vectors of samples.</summary>
    public const int Blocks = 8;

    private readonly ActorCriticLayout _layout;
    private readonly int _inputs, _hidden;
    private readonly Vector<float>[] _states, _actorHidden, _actorOutputs, _values, _ones;
    private Vector<float>[]? _criticHidden; // acting needs only the actor
    private readonly float[] _actorOutTransposed;
    private ActorCriticParameters? _parameters;
    // Gradient sums per lane, torch's layout except the two in-weights, kept transposed ([2d, h]) so that their
    // accumulation runs along the hidden units.
    private Vector<float>[]? _sums;

    public ActorCriticTile(ActorCriticLayout layout)
    {
        _layout = layout;
        _inputs = layout.Inputs;
        _hidden = layout.Hidden;
        int hidden = _hidden;
        _states = new Vector<float>[_inputs * Blocks];
        _actorHidden = new Vector<float>[hidden * Blocks];
        _actorOutputs = new Vector<float>[_inputs * Blocks];
        _values = new Vector<float>[Blocks];
        _ones = Enumerable.Repeat(Vector<float>.One, Blocks).ToArray();
        _actorOutTransposed = new float[hidden * _inputs];
    }

    /// <summary>Samples per tile.</summary>
    public static int Samples => Blocks * Vector<float>.Count;

    /// <summary>Uses these parameter values from now on (kept by reference: do not change them meanwhile).</summary>
    public void Use(ActorCriticParameters parameters)
    {
        if (parameters.Layout != _layout)
            throw new ArgumentException("the parameters do not fit this tile's network");
        _parameters = parameters;
        var weight = parameters.ActorOutWeight;
        for (int i = 0; i < _inputs; i++)
            for (int j = 0; j < _hidden; j++)
                _actorOutTransposed[j * _inputs + i] = weight[i * _hidden + j];
    }

    /// <summary>Loads <paramref name="count"/> ≤ <see cref="Samples"/> meta-states ([count, 2d] row-major); the rest
    /// of the tile is zero.</summary>
    public void LoadStates(ReadOnlySpan<float> states, int count) => ToSoa(states, count, _inputs, _states);

    /// <summary>Actor forward: hidden = tanh(W₁s + b₁), outputs = W₂·hidden + b₂ (mean, then pre-softplus variance).</summary>
    public void ForwardActor()
    {
        var p = Parameters;
        SoaMatrix.Multiply<StoreTanh>(p.ActorInWeight, p.ActorInBias, _states, _actorHidden, _hidden, _inputs, Blocks);
        SoaMatrix.Multiply<StoreSum>(p.ActorOutWeight, p.ActorOutBias, _actorHidden, _actorOutputs, _inputs, _hidden, Blocks);
    }

    /// <summary>Critic forward: values = w·tanh(W₁s + b₁) + b.</summary>
    public void ForwardCritic()
    {
        var p = Parameters;
        var hidden = _criticHidden ??= new Vector<float>[_hidden * Blocks];
        SoaMatrix.Multiply<StoreTanh>(p.CriticInWeight, p.CriticInBias, _states, hidden, _hidden, _inputs, Blocks);
        SoaMatrix.Multiply<StoreSum>(p.CriticOutWeight, p.CriticOutBias, hidden, _values, 1, _hidden, Blocks);
    }

    /// <summary>The actor's outputs [2d][Blocks] after <see cref="ForwardActor"/>; the loss writes its gradient
    /// with respect to them here before <see cref="BackwardActor"/>.</summary>
    public Span<Vector<float>> ActorOutputs => _actorOutputs;

    /// <summary>The critic's values [Blocks]; the loss writes its gradient here before <see cref="BackwardCritic"/>.</summary>
    public Span<Vector<float>> Values => _values;

    /// <summary>Adds the actor's weight gradients for the output gradients in <see cref="ActorOutputs"/>
    /// (overwrites the hidden activations).</summary>
    public void BackwardActor()
    {
        var sums = Sums;
        var at = _layout;
        int h = _hidden, n = _inputs;
        // dW₂ += dOut ⊗ hidden, db₂ += dOut; then dHidden = W₂ᵀ dOut · (1 − hidden²) in place; dW₁ᵀ += s ⊗ dHidden.
        SoaMatrix.AccumulateOuter(_actorOutputs, _actorHidden, sums.AsSpan(at.ActorOutWeight, n * h), n, h, Blocks);
        SoaMatrix.AccumulateOuter(_ones, _actorOutputs, sums.AsSpan(at.ActorOutBias, n), 1, n, Blocks);
        SoaMatrix.Multiply<TanhBackward>(_actorOutTransposed, [], _actorOutputs, _actorHidden, h, n, Blocks);
        SoaMatrix.AccumulateOuter(_states, _actorHidden, sums.AsSpan(at.ActorInWeight, n * h), n, h, Blocks);
        SoaMatrix.AccumulateOuter(_ones, _actorHidden, sums.AsSpan(at.ActorInBias, h), 1, h, Blocks);
    }

    /// <summary>Adds the critic's weight gradients for the value gradients in <see cref="Values"/>.</summary>
    public void BackwardCritic()
    {
        var sums = Sums;
        var p = Parameters;
        var at = _layout;
        int h = _hidden, n = _inputs;
        var hidden = _criticHidden ?? throw new InvalidOperationException("BackwardCritic needs ForwardCritic first");
        SoaMatrix.AccumulateOuter(_values, hidden, sums.AsSpan(at.CriticOutWeight, h), 1, h, Blocks);
        SoaMatrix.AccumulateOuter(_ones, _values, sums.AsSpan(at.CriticOutBias, 1), 1, 1, Blocks);
        // The critic's out-weight [1, h] read as [h, 1] is its transpose.
        SoaMatrix.Multiply<TanhBackward>(p.CriticOutWeight, [], _values, hidden, h, 1, Blocks);
        SoaMatrix.AccumulateOuter(_states, hidden, sums.AsSpan(at.CriticInWeight, n * h), n, h, Blocks);
        SoaMatrix.AccumulateOuter(_ones, hidden, sums.AsSpan(at.CriticInBias, h), 1, h, Blocks);
    }

    public void ClearSums() => Array.Clear(Sums);

    /// <summary>Adds the lanes of every gradient sum into <paramref name="gradient"/> (libtorch's layout).</summary>
    public void AddSumsTo(ActorCriticParameters gradient)
    {
        var sums = Sums;
        var target = gradient.Values;
        int h = _hidden, n = _inputs, critic = _layout.CriticInWeight;
        for (int i = 0; i < sums.Length; i++)
        {
            int index = i;
            // The two in-weights are kept as [2d, h]; torch's is [h, 2d].
            if (i < n * h) index = i % h * n + i / h;
            else if (i >= critic && i < critic + n * h) index = critic + (i - critic) % h * n + (i - critic) / h;
            target[index] += Vector.Sum(sums[i]);
        }
    }

    /// <summary>Copies [count, width] row-major samples into a [width][Blocks] tile, zero beyond count.</summary>
    public static void ToSoa(ReadOnlySpan<float> source, int count, int width, Span<Vector<float>> tile)
    {
        if (count > Samples || source.Length < count * width || tile.Length < width * Blocks)
            throw new ArgumentException("a tile holds at most ActorCriticTile.Samples samples");
        var target = MemoryMarshal.Cast<Vector<float>, float>(tile);
        int stride = Samples;
        for (int k = 0; k < width; k++) target.Slice(k * stride + count, stride - count).Clear();
        for (int s = 0; s < count; s++)
            for (int k = 0; k < width; k++)
                target[k * stride + s] = source[s * width + k];
    }

    /// <summary>Copies the first count samples of a [width][Blocks] tile into [count, width] row-major.</summary>
    public static void FromSoa(ReadOnlySpan<Vector<float>> tile, int count, int width, Span<float> target)
    {
        var source = MemoryMarshal.Cast<Vector<float>, float>(tile);
        int stride = Samples;
        for (int s = 0; s < count; s++)
            for (int k = 0; k < width; k++)
                target[s * width + k] = source[k * stride + s];
    }

    private ActorCriticParameters Parameters => _parameters ?? throw new InvalidOperationException("call Use(parameters) first");

    private Vector<float>[] Sums => _sums ??= new Vector<float>[_layout.Length];
}
