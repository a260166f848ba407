using System.Numerics;
using System.Runtime.InteropServices;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// One epoch's full-batch PPO loss (<see cref="PpoUpdate"/>'s, mfos.md §3) and its gradient with respect to every
/// actor-critic parameter, by the fused kernel (<see cref="ActorCriticTile"/>) instead of autograd. The samples
/// are cut into chunks of <c>chunkSize</c>; each chunk's gradient is summed on its own and the chunks are added
/// in order, so the result does not depend on how many threads ran them or in which order. Tested against the
/// autograd loss.
/// </summary>
public static class FusedPpoGradient
{
    private static readonly float LogTwoPi = (float)Math.Log(2 * Math.PI);

    /// <summary>Writes the gradient of the mean loss into <paramref name="gradient"/> and returns the mean loss.</summary>
    public static double Compute(ActorCriticParameters parameters, PpoSamples samples, PpoSettings settings, int chunkSize, int threads,
        ActorCriticParameters gradient)
    {
        var layout = parameters.Layout;
        if (gradient.Layout != layout) throw new ArgumentException("the gradient does not fit the parameters");
        samples.Checked(layout.PolicySize);
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize));
        int count = samples.Count;
        int chunks = (count + chunkSize - 1) / chunkSize;
        var partials = new ActorCriticParameters[chunks];
        var losses = new double[chunks];
        var head = new LossHead(settings, layout.PolicySize, 1.0f / count);
        ParallelChunks.Run(chunks, threads, () => new Workspace(layout, parameters), (chunk, workspace) =>
        {
            int start = chunk * chunkSize, end = Math.Min(count, start + chunkSize);
            workspace.Tile.ClearSums();
            double loss = 0;
            for (int tileStart = start; tileStart < end; tileStart += ActorCriticTile.Samples)
                loss += workspace.Run(samples, tileStart, Math.Min(ActorCriticTile.Samples, end - tileStart), head);
            var partial = new ActorCriticParameters(layout);
            workspace.Tile.AddSumsTo(partial);
            partials[chunk] = partial;
            losses[chunk] = loss;
        });
        var total = new double[layout.Length];
        foreach (var partial in partials)
            for (int i = 0; i < total.Length; i++) total[i] += partial.Values[i];
        for (int i = 0; i < total.Length; i++) gradient.Values[i] = (float)total[i];
        return losses.Sum() / count;
    }

    /// <summary>Floating-point operations of one epoch over <paramref name="samples"/> samples, counting a
    /// multiply-add as two: the matrix products only (per sample: actor 2d·h forward in, 2d·h forward out, and in
    /// the backward pass the out-weight gradient, the hidden gradient and the in-weight gradient, 2d·h each; the
    /// critic 2d·h forward in, h forward out, h out-weight gradient, h hidden gradient, 2d·h in-weight gradient).
    /// Biases, tanh, the loss and the lane sums are left out, so this is a lower bound on the work done.</summary>
    public static double FlopsPerEpoch(ActorCriticLayout layout, long samples)
    {
        double inner = layout.Inputs * (double)layout.Hidden;
        double multiplyAdds = 5 * inner + 2 * inner + 3.0 * layout.Hidden;
        return 2 * multiplyAdds * samples;
    }

    /// <summary>The PPO loss per sample and its gradient with respect to the actor's outputs and the critic's value.</summary>
    private readonly struct LossHead(PpoSettings settings, int policySize, float scale)
    {
        public readonly int PolicySize = policySize;
        public readonly float Scale = scale, Low = (float)(1 - settings.Clip), High = (float)(1 + settings.Clip);
        public readonly float Value = (float)settings.ValueCoefficient, Entropy = (float)settings.EntropyCoefficient;
    }

    private sealed class Workspace
    {
        private readonly Vector<float>[] _actions, _oldLogProbs, _targets, _mask;
        private readonly int _policySize;

        public Workspace(ActorCriticLayout layout, ActorCriticParameters parameters)
        {
            _policySize = layout.PolicySize;
            Tile = new ActorCriticTile(layout);
            Tile.Use(parameters);
            int blocks = ActorCriticTile.Blocks;
            _actions = new Vector<float>[_policySize * blocks];
            _oldLogProbs = new Vector<float>[blocks];
            _targets = new Vector<float>[blocks];
            _mask = new Vector<float>[blocks];
        }

        public ActorCriticTile Tile { get; }

        /// <summary>Forward, loss and backward for samples [start, start + count); returns the tile's summed loss
        /// (unscaled by the batch).</summary>
        public double Run(PpoSamples samples, int start, int count, in LossHead head)
        {
            int d = _policySize;
            Tile.LoadStates(samples.States.AsSpan(start * 2 * d, count * 2 * d), count);
            ActorCriticTile.ToSoa(samples.Actions.AsSpan(start * d, count * d), count, d, _actions);
            ActorCriticTile.ToSoa(samples.OldLogProbs.AsSpan(start, count), count, 1, _oldLogProbs);
            ActorCriticTile.ToSoa(samples.Targets.AsSpan(start, count), count, 1, _targets);
            var mask = MemoryMarshal.Cast<Vector<float>, float>(_mask.AsSpan());
            mask[..count].Fill(1);
            mask[count..].Clear();
            Tile.ForwardActor();
            Tile.ForwardCritic();
            double loss = 0;
            for (int b = 0; b < ActorCriticTile.Blocks; b++) loss += Head(b, head);
            Tile.BackwardActor();
            Tile.BackwardCritic();
            return loss;
        }

        /// <summary>The loss of one SIMD block of samples; replaces the actor's outputs and the critic's value by the
        /// loss's gradients with respect to them. Padding lanes (mask 0) contribute neither.</summary>
        private double Head(int b, in LossHead head)
        {
            int d = _policySize, blocks = ActorCriticTile.Blocks;
            var outputs = Tile.ActorOutputs;
            var values = Tile.Values;
            var mask = _mask[b];
            var value = values[b];
            var target = _targets[b];
            var advantage = target - value;
            Span<Vector<float>> variance = stackalloc Vector<float>[d], difference = stackalloc Vector<float>[d];
            var squares = Vector<float>.Zero;
            var logVariances = Vector<float>.Zero;
            for (int k = 0; k < d; k++)
            {
                variance[k] = VectorMath.Softplus(outputs[(d + k) * blocks + b]);
                difference[k] = _actions[k * blocks + b] - outputs[k * blocks + b];
                squares += difference[k] * difference[k] / variance[k];
                logVariances += Vector.Log(variance[k]);
            }
            // log N(a; μ, σ²) = −½ Σ_k ((a − μ)²/σ² + log σ² + log 2π); H = ½ Σ_k (log σ² + log 2π + 1).
            var logProb = (squares + logVariances + new Vector<float>(d * LogTwoPi)) * -0.5f;
            var entropy = (logVariances + new Vector<float>(d * (LogTwoPi + 1))) * 0.5f;
            var ratio = VectorMath.Exp(logProb - _oldLogProbs[b]);
            var low = new Vector<float>(head.Low);
            var high = new Vector<float>(head.High);
            var unclipped = ratio * advantage;
            var clipped = Vector.Min(Vector.Max(ratio, low), high) * advantage;
            var surrogate = Vector.Min(unclipped, clipped);
            var error = value - target;
            var loss = -surrogate + head.Value * error * error - head.Entropy * entropy;
            double total = Vector.Sum(loss * mask);

            // d min(ρA, clip(ρ)A)/dρ: A where the unclipped term is the smaller, or ρ is inside the clip range (there
            // the two terms are equal and libtorch splits the gradient between them, A/2 + A/2); else 0.
            var inside = Vector.GreaterThanOrEqual(ratio, low) & Vector.LessThanOrEqual(ratio, high);
            var slope = Vector.ConditionalSelect(Vector.LessThan(unclipped, clipped) | inside, advantage, Vector<float>.Zero);
            var weight = mask * head.Scale;
            var dLogProb = -weight * slope * ratio;
            var dEntropyPerVariance = weight * (-0.5f * head.Entropy);
            for (int k = 0; k < d; k++)
            {
                var inverse = Vector<float>.One / variance[k];
                var scaled = difference[k] * inverse;
                // ∂logp/∂μ = (a − μ)/σ², ∂logp/∂σ² = ½((a − μ)²/σ⁴ − 1/σ²), ∂H/∂σ² = ½/σ², ∂σ²/∂raw = sigmoid(raw).
                var dVariance = dLogProb * 0.5f * (scaled * scaled - inverse) + dEntropyPerVariance * inverse;
                ref var raw = ref outputs[(d + k) * blocks + b];
                outputs[k * blocks + b] = dLogProb * scaled;
                raw = dVariance * VectorMath.Sigmoid(raw);
            }
            values[b] = weight * (2 * head.Value) * error;
            return total;
        }
    }
}
