using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// PPO as the reference runs it (mfos.md §3): Monte-Carlo discounted returns per game over the meta-episode,
/// normalised over all T×B values; advantage = R̂ − V(s) (detached); each epoch one full-batch step of
/// mean[−min(ρA, clip(ρ, 1±ε)A) + c_v (V − R̂)² − c_H H]. The full-batch gradient is accumulated over chunks,
/// so memory is bounded by the chunk size and the result equals one pass over all samples. <see cref="Apply"/>
/// computes it with the fused SIMD kernel (<see cref="FusedPpoGradient"/>, ~10× faster here);
/// <see cref="ApplyWithAutograd"/> and <see cref="Loss"/> are the same update through libtorch's autograd, which
/// the tests hold the kernel to.
/// </summary>
public static class PpoUpdate
{
    /// <summary>Discounted returns R_t = r_t + γ R_{t+1} over the T meta-steps of [T, B] rewards.</summary>
    public static Tensor DiscountedReturns(Tensor rewards, double discount)
    {
        var returns = new Tensor[rewards.shape[0]];
        Tensor running = zeros_like(rewards[0]);
        for (long t = rewards.shape[0] - 1; t >= 0; t--)
        {
            running = rewards[t] + discount * running;
            returns[t] = running;
        }
        return stack(returns);
    }

    /// <summary>(x − mean) / (std + 1e-5) over all elements, std with Bessel's correction as torch's default.</summary>
    public static Tensor Normalise(Tensor x) => (x - x.mean()) / (x.std() + 1e-5);

    /// <summary>The clipped surrogate, summed (not averaged) over the samples given.</summary>
    public static Tensor ClippedSurrogateSum(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double clip)
    {
        var ratio = (logProbs - oldLogProbs).exp();
        return minimum(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages).sum();
    }

    /// <summary>Runs the update on <paramref name="network"/> with the fused kernel (<see cref="FusedPpoGradient"/>);
    /// returns the mean loss of the last epoch.</summary>
    public static double Apply(ActorCritic network, optim.Optimizer optimizer, MetaTrajectory trajectory, PpoSettings settings) =>
        Apply(network, optimizer, trajectory, settings, ParallelChunks.DefaultThreads);


    /// <summary>The update with its chunks spread over up to <paramref name="threads"/> threads (the result does not
    /// depend on the number).</summary>
    public static double Apply(ActorCritic network, optim.Optimizer optimizer, MetaTrajectory trajectory, PpoSettings settings, int threads)
    {
        var samples = Samples(trajectory, settings.Discount);
        var gradient = new ActorCriticParameters(network.Layout);
        double lastLoss = 0;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            lastLoss = FusedPpoGradient.Compute(network.ParameterValues(), samples, settings, settings.ChunkSize, threads, gradient);
            network.SetGradients(gradient);
            optimizer.step();
        }
        return lastLoss;
    }

    /// <summary>The trajectory's samples with their normalised discounted returns as targets.</summary>
    public static PpoSamples Samples(MetaTrajectory trajectory, double discount)
    {
        using var scope = NewDisposeScope();
        var (_, _, _, rewards) = trajectory.Stacked();
        var targets = Normalise(DiscountedReturns(rewards, discount)).flatten().contiguous();
        var (states, actions, logProbs) = trajectory.Flattened();
        return new PpoSamples(states, actions, logProbs, targets.data<float>().ToArray()).Checked(trajectory.PolicySize);
    }

    /// <summary>The same update through libtorch's autograd, chunk by chunk (the reference the fused kernel is tested
    /// against; each epoch's gradient accumulates over chunks, equal to one full-batch pass).</summary>
    public static double ApplyWithAutograd(ActorCritic network, optim.Optimizer optimizer, MetaTrajectory trajectory, PpoSettings settings)
    {
        using var scope = NewDisposeScope();
        var (states, actions, oldLogProbs, rewards) = trajectory.Stacked();
        var targets = Normalise(DiscountedReturns(rewards, settings.Discount)).flatten();
        states = states.flatten(0, 1);
        actions = actions.flatten(0, 1);
        oldLogProbs = oldLogProbs.flatten();
        long count = targets.shape[0];
        double lastLoss = 0;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            optimizer.zero_grad();
            double epochLoss = 0;
            for (long start = 0; start < count; start += settings.ChunkSize)
            {
                using var chunkScope = NewDisposeScope();
                long length = Math.Min(settings.ChunkSize, count - start);
                var loss = Loss(network, states.narrow(0, start, length), actions.narrow(0, start, length),
                    oldLogProbs.narrow(0, start, length), targets.narrow(0, start, length), settings, count);
                loss.backward();
                epochLoss += loss.item<float>();
            }
            optimizer.step();
            lastLoss = epochLoss;
        }
        return lastLoss;
    }

    /// <summary>These samples' share of the mean loss over <paramref name="count"/> samples, with its autograd graph:
    /// [−Σ min(ρA, clip(ρ, 1±ε)A) + c_v Σ(V − R̂)² − c_H Σ H] / count.</summary>
    public static Tensor Loss(ActorCritic network, Tensor states, Tensor actions, Tensor oldLogProbs, Tensor targets, PpoSettings settings, long count)
    {
        var (mean, variance) = network.Policy(states);
        var logProbs = DiagonalGaussian.LogProb(actions, mean, variance);
        var values = network.Value(states);
        var advantages = targets - values.detach();
        return (-ClippedSurrogateSum(logProbs, oldLogProbs, advantages, settings.Clip)
                + settings.ValueCoefficient * (values - targets).square().sum()
                - settings.EntropyCoefficient * DiagonalGaussian.Entropy(variance).sum()) / count;
    }
}
