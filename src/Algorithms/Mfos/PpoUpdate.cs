using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// PPO as the reference runs it (mfos.md §3): Monte-Carlo discounted returns per game over the meta-episode,
/// normalised over all T×B values; advantage = R̂ − V(s) (detached); each epoch one full-batch step of
/// mean[−min(ρA, clip(ρ, 1±ε)A) + c_v (V − R̂)² − c_H H]. The full-batch gradient is accumulated over chunks,
/// so memory is bounded by the chunk size and the result equals one pass over all samples.
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

    /// <summary>Runs the update on <paramref name="network"/>; returns the mean loss of the last epoch.</summary>
    public static double Apply(ActorCritic network, optim.Optimizer optimizer, MetaTrajectory trajectory, PpoSettings settings)
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
                var s = states.narrow(0, start, length);
                var (mean, variance) = network.Policy(s);
                var logProbs = DiagonalGaussian.LogProb(actions.narrow(0, start, length), mean, variance);
                var values = network.Value(s);
                var target = targets.narrow(0, start, length);
                var advantages = target - values.detach();
                var loss = (-ClippedSurrogateSum(logProbs, oldLogProbs.narrow(0, start, length), advantages, settings.Clip)
                            + settings.ValueCoefficient * (values - target).square().sum()
                            - settings.EntropyCoefficient * DiagonalGaussian.Entropy(variance).sum()) / count;
                loss.backward();
                epochLoss += loss.item<float>();
            }
            optimizer.step();
            lastLoss = epochLoss;
        }
        return lastLoss;
    }
}
