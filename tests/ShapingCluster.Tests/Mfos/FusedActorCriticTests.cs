using ShapingCluster.Algorithms.Mfos;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Mfos;

/// <summary>The hand-written SIMD actor-critic and PPO gradient against libtorch's autograd version of the same
/// functions, on batches that are not a whole number of SIMD vectors or tiles.</summary>
public class FusedActorCriticTests
{
    private static ActorCritic Network(int policySize, int hidden, ulong seed)
    {
        using var generator = new Generator(seed);
        return new ActorCritic(policySize, hidden, generator);
    }

    /// <summary>Meta-states in (0, 1) like σ(logits), actions and returns around the policy's scale, and old
    /// log-probabilities that put the ratio on both sides of the clip range.</summary>
    private static PpoSamples Samples(ActorCritic network, int count, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        int d = network.PolicySize;
        var states = rand(count, 2 * d, generator: generator);
        var actions = randn(count, d, generator: generator) * 2;
        Tensor logProbs;
        using (no_grad())
        {
            var (mean, variance) = network.Policy(states);
            logProbs = DiagonalGaussian.LogProb(actions, mean, variance);
        }
        var old = logProbs + (rand(count, generator: generator) - 0.5) * 1.2;
        var targets = randn(count, generator: generator);
        return new PpoSamples(Floats(states), Floats(actions), Floats(old), Floats(targets));
    }

    private static float[] Floats(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale + 1e-12,
                $"{what}[{i}]: autograd {expected[i]}, fused {actual[i]} (largest magnitude {scale})");
    }

    [Theory]
    [InlineData(5, 256, 37)]
    [InlineData(5, 30, 150)]
    [InlineData(1, 16, 65)]
    public void Fused_policy_matches_the_autograd_network(int policySize, int hidden, int batch)
    {
        using var network = Network(policySize, hidden, 3);
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        // Pre-activations from small to saturating, so both branches of tanh and of softplus are exercised.
        var states = rand(batch, 2 * policySize, generator: generator) * 6 - 3;
        var (mean, variance) = network.Policy(states);
        var (fusedMean, fusedVariance) = network.FusedPolicy(Floats(states), batch);
        AssertClose(Floats(mean), fusedMean, 2e-6, "mean");
        AssertClose(Floats(variance), fusedVariance, 2e-6, "variance");
    }

    [Theory]
    [InlineData(5, 256, 4099)]
    [InlineData(1, 16, 37)]
    public void Fused_sample_draws_what_the_autograd_policy_and_gaussian_draw(int policySize, int hidden, int batch)
    {
        using var network = Network(policySize, hidden, 10);
        using var scope = NewDisposeScope();
        using var draw = new Generator(11);
        var states = rand(batch, 2 * policySize, generator: draw);
        Tensor expectedAction, expectedLogProb;
        using (var reference = new Generator(12))
        using (no_grad())
        {
            var (mean, variance) = network.Policy(states);
            expectedAction = DiagonalGaussian.Sample(mean, variance, reference);
            expectedLogProb = DiagonalGaussian.LogProb(expectedAction, mean, variance);
        }
        using var fused = new Generator(12);
        var (action, logProb) = network.FusedSample(states, fused);
        AssertClose(Floats(expectedAction), Floats(action), 2e-6, "action");
        AssertClose(Floats(expectedLogProb), Floats(logProb), 2e-6, "log-probability");
    }

    [Theory]
    [InlineData(5, 4099)]
    [InlineData(1, 37)]
    public void The_meta_state_on_arrays_is_the_tensor_meta_state_to_the_bit(int policySize, int batch)
    {
        using var scope = NewDisposeScope();
        using var draw = new Generator(13);
        var own = randn(batch, policySize, generator: draw) * 4;
        var other = randn(batch, policySize, generator: draw) * 4;
        var expected = Floats(MfosAgent.Observe(own, other));
        Assert.Equal(expected, MfosAgent.Observe(Floats(own), Floats(other), batch));
    }

    [Theory]
    [InlineData(5, 256, 203, 70)]
    [InlineData(5, 24, 1000, 4096)]
    [InlineData(1, 16, 77, 20)]
    public void Fused_ppo_gradient_matches_autograd(int policySize, int hidden, int count, int chunk)
    {
        using var network = Network(policySize, hidden, 5);
        var samples = Samples(network, count, 6);
        var settings = new PpoSettings { Hidden = hidden };
        var gradient = new ActorCriticParameters(network.Layout);
        double fusedLoss = FusedPpoGradient.Compute(network.ParameterValues(), samples, settings, chunk, 2, gradient);

        using var scope = NewDisposeScope();
        foreach (var p in network.parameters()) p.grad?.zero_();
        int d = policySize;
        var loss = PpoUpdate.Loss(network, NativeTensors.Of(samples.States, count, 2 * d), NativeTensors.Of(samples.Actions, count, d),
            NativeTensors.Of(samples.OldLogProbs, count), NativeTensors.Of(samples.Targets, count), settings, count);
        loss.backward();
        Assert.Equal(loss.item<float>(), fusedLoss, 5);
        var expected = new ActorCriticParameters(network.Layout);
        var names = new[] { "actor in-weight", "actor in-bias", "actor out-weight", "actor out-bias", "critic in-weight",
                            "critic in-bias", "critic out-weight", "critic out-bias" };
        var pieces = network.Layout.Pieces().ToList();
        var autograd = network.GradientsInLayoutOrder();
        for (int i = 0; i < pieces.Count; i++)
        {
            int length = (int)pieces[i].Shape.Aggregate(1L, (a, b) => a * b);
            AssertClose(autograd[i], gradient.Values.AsSpan(pieces[i].Offset, length).ToArray(), 2e-5, names[i]);
        }
    }

    [Fact]
    public void Fused_gradient_does_not_depend_on_the_number_of_threads()
    {
        using var network = Network(5, 64, 7);
        var samples = Samples(network, 3000, 8);
        float[] With(int threads)
        {
            var gradient = new ActorCriticParameters(network.Layout);
            FusedPpoGradient.Compute(network.ParameterValues(), samples, new PpoSettings { Hidden = 64 }, 256, threads, gradient);
            return gradient.Values;
        }
        var one = With(1);
        Assert.Equal(one, With(2));
        Assert.Equal(one, With(5));
    }

    [Fact]
    public void Gradients_set_by_hand_are_what_the_optimizer_steps_on()
    {
        using var network = Network(5, 8, 9);
        var gradient = new ActorCriticParameters(network.Layout);
        for (int i = 0; i < gradient.Values.Length; i++) gradient.Values[i] = (i % 7) - 3;
        network.SetGradients(gradient);
        network.SetGradients(gradient); // a second time copies into the existing gradients
        Assert.Equal(gradient.Values, network.GradientsInLayoutOrder().SelectMany(g => g).ToArray());
        var before = network.ParameterValues().Values;
        using var sgd = optim.SGD(network.parameters(), 0.5);
        sgd.step();
        var after = network.ParameterValues().Values;
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i] - 0.5f * gradient.Values[i], after[i], 6);
    }
}
