using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>
/// DiCE's first and second derivatives are unbiased estimates of the exact ones. One policy pair is copied over
/// many independent games; each copy's estimate uses its own roll-outs, so the copies give a mean and a standard
/// error to test against the exact derivative.
/// </summary>
public class DiceEstimatorTests
{
    private const int Copies = 200, Samples = 64, Length = 150; // γ^150 ≈ 2e-3 of the discounted weight is cut off

    [Fact]
    public void First_and_second_derivatives_match_the_exact_ones_statistically()
    {
        var game = TestGames.Get("ipd");
        using var generator = new Generator(41);
        var baseRow = randn(1, 5, generator: generator) * 0.5;
        var baseCol = randn(1, 5, generator: generator) * 0.5;
        var v = randn(1, 5, generator: generator);

        // Exact (truncation-free) derivatives of the row player's return.
        var exactRow = baseRow.clone().requires_grad_(true);
        var exactCol = baseCol.clone().requires_grad_(true);
        var (value, _) = new ExactGame(game).Returns(exactRow, exactCol);
        var exactColGrad = Autodiff.Grad(value.sum(), [exactCol], createGraph: true)[0];
        var exactRowGrad = Autodiff.Grad(value.sum(), [exactRow], createGraph: true)[0];
        var exactHvp = Autodiff.Grad((exactColGrad * v).sum(), [exactRow])[0];

        // DiCE estimates, one per copy.
        var row = baseRow.expand(Copies, 5).clone().requires_grad_(true);
        var col = baseCol.expand(Copies, 5).clone().requires_grad_(true);
        using var rollout = new SampledGame(game).Play(row, col, Samples, Length, generator);
        var objective = PolicyGradient.Dice(rollout.RowLogProbs, rollout.ColLogProbs, rollout.RowRewards, rollout.Discounts());
        var grads = Autodiff.Grad(objective, [row, col], createGraph: true);
        var hvp = Autodiff.Grad((grads[1] * v).sum(), [row])[0];

        AssertUnbiased(grads[0].detach(), exactRowGrad.detach(), "∇row V_row");
        AssertUnbiased(grads[1].detach(), exactColGrad.detach(), "∇col V_row");
        AssertUnbiased(hvp.detach(), exactHvp.detach(), "∇row(∇col V_row · v)");
    }

    private static void AssertUnbiased(Tensor estimates, Tensor exact, string what)
    {
        var mean = estimates.mean([0]);
        var standardError = estimates.std(0) / Math.Sqrt(Copies);
        // Truncation at Length biases by at most γ^L of the scale of the derivative.
        var allowance = 0.002 * exact.abs().max().item<float>();
        var z = ((mean - exact.squeeze(0)).abs() - allowance).clamp_min(0) / standardError;
        Assert.True(z.max().item<float>() < 4.5f,
            $"{what}: DiCE mean {Format(mean)} vs exact {Format(exact.squeeze(0))}, SE {Format(standardError)}");
    }

    private static string Format(Tensor t) => string.Join(", ", t.data<float>().ToArray().Select(x => x.ToString("F3")));
}
