using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Meta-learns M-MAML's initial policy (mfos.md §2.3): one init vector θ₀ and a learned own step α; each outer
/// iteration draws a batch of N(0, 1) naive opponents, unrolls T simultaneous exact naive steps (opponent step 1,
/// own step α) and descends Σ_t L_own through the whole unroll with Adam. The agent sits at the column seat as in
/// the reference.
/// </summary>
public sealed record MamlInitialisation(int Iterations = 1000, int Batch = 64, int Unroll = 100,
    double OuterLearningRate = 0.01, double OpponentLearningRate = 1.0)
{
    /// <summary>Meta-trains from a generator seeded by <paramref name="seed"/>.</summary>
    public (float[] Init, double OwnStep, double[] Losses) Train(MatrixGame game, ulong seed)
    {
        using var generator = new Generator(seed);
        return Train(game, generator);
    }

    public (float[] Init, double OwnStep, double[] Losses) Train(MatrixGame game, Generator generator)
    {
        if (Iterations < 1 || Batch < 1 || Unroll < 1)
            throw new ArgumentException("mmaml training needs iterations, batch and unroll ≥ 1");
        var exact = new ExactGame(game);
        int d = game.PolicySize;
        var init = nn.Parameter(randn(1, d, generator: generator));
        var step = nn.Parameter(rand(1, generator: generator));
        using var optimizer = optim.Adam([init, step], OuterLearningRate);
        var losses = new double[Iterations];
        for (int it = 0; it < Iterations; it++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var opponent = randn(Batch, d, generator: generator).requires_grad_(true);
            var own = init.expand(Batch, d);
            Tensor total = zeros(1);
            for (int t = 0; t < Unroll; t++)
            {
                var (opponentReturn, ownReturn) = exact.Returns(opponent, own);
                total = total - ownReturn.sum();
                // Simultaneous naive steps: each side follows the gradient of its own return only.
                var oppGrad = Autodiff.Grad(opponentReturn.sum(), [opponent], createGraph: true)[0];
                var ownGrad = Autodiff.Grad(ownReturn.sum(), [own], createGraph: true)[0];
                opponent = opponent + (float)OpponentLearningRate * oppGrad;
                own = own + step * ownGrad;
            }
            var loss = total / (Batch * Unroll) * (float)game.RewardScale;
            loss.backward();
            optimizer.step();
            losses[it] = loss.item<float>();
        }
        using var _ = no_grad();
        return (init.detach().squeeze(0).data<float>().ToArray(), step.item<float>(), losses);
    }
}
