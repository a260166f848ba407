using ShapingCluster.Algorithms.Learners;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

public class MamlTests
{
    [Fact]
    public void Published_initial_vector_is_the_references_id_0()
    {
        var settings = TestGames.Defaults.LearnerSettings("mmaml", TestGames.Get("ipd"));
        Assert.Equal(new[] { 4.3270f, 4.4934f, -4.7323f, 0.0749f, -3.2330f }, settings.InitialLogits);
        var policy = TestGames.Defaults.CreateLearner("mmaml", TestGames.Get("chicken")).InitialPolicy(3, new Generator(1));
        Assert.Equal(0.5828f, policy[2, 0].item<float>(), 4);
    }

    [Fact]
    public void Meta_training_through_unrolled_naive_steps_lowers_the_loss()
    {
        var training = new MamlInitialisation(Iterations: 40, Batch: 16, Unroll: 10, OuterLearningRate: 0.05);
        using var generator = new Generator(71);
        var (init, _, losses) = training.Train(TestGames.Get("ipd"), generator);
        Assert.Equal(5, init.Length);
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first - 0.05, $"loss went from {first:F3} to {last:F3}");
    }
}
