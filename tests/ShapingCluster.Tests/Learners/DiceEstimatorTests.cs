using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>
/// DiCE's first and second derivatives are unbiased estimates of the exact ones, with every baseline, and the
/// baselines lower their variance. One policy pair is copied over many independent games; each copy's estimate uses
/// its own roll-outs, so the copies give a mean and a standard error to test against the exact derivative.
/// </summary>
public class DiceEstimatorTests(ITestOutputHelper output)
{
    private const int Copies = 200, Samples = 64, Length = 150; // γ^150 ≈ 2e-3 of the discounted weight is cut off

    [Theory]
    [InlineData(DiceBaseline.None)]
    [InlineData(DiceBaseline.Mean)]
    [InlineData(DiceBaseline.Value)]
    public void First_and_second_derivatives_match_the_exact_ones_statistically(DiceBaseline baseline)
    {
        var game = TestGames.Get("ipd");
        using var generator = new Generator(41);
        var (baseRow, baseCol, v) = Pair(generator);
        var exact = ExactDerivatives(game, baseRow, baseCol, v);
        var estimates = Estimates(game, baseRow, baseCol, v, generator, baseline);
        AssertUnbiased(estimates.RowGrad, exact.RowGrad, $"{baseline}: ∇row V_row");
        AssertUnbiased(estimates.ColGrad, exact.ColGrad, $"{baseline}: ∇col V_row");
        AssertUnbiased(estimates.Hvp, exact.Hvp, $"{baseline}: ∇row(∇col V_row · v)");
    }

    [Fact]
    public void Baselines_lower_the_variance_of_first_and_second_derivatives()
    {
        // All three objectives on the same roll-outs, so the comparison is paired.
        var game = TestGames.Get("ipd");
        using var generator = new Generator(43);
        var (baseRow, baseCol, v) = Pair(generator);
        var row = baseRow.expand(Copies, 5).clone().requires_grad_(true);
        var col = baseCol.expand(Copies, 5).clone().requires_grad_(true);
        using var rollout = new SampledGame(game).Play(row, col, Samples, Length, generator);
        var variance = new Dictionary<DiceBaseline, (double Grad, double Hvp)>();
        foreach (var baseline in new[] { DiceBaseline.None, DiceBaseline.Mean, DiceBaseline.Value })
        {
            var e = Derivatives(DiceObjective.Of(rollout, Seat.Row, baseline), row, col, v);
            variance[baseline] = (TotalVariance(e.RowGrad) + TotalVariance(e.ColGrad), TotalVariance(e.Hvp));
            output.WriteLine($"{baseline}: total variance of the gradients {variance[baseline].Grad:G4}, of the mixed HVP {variance[baseline].Hvp:G4}");
        }
        foreach (var baseline in new[] { DiceBaseline.Mean, DiceBaseline.Value })
        {
            Assert.True(variance[baseline].Grad < 0.1 * variance[DiceBaseline.None].Grad,
                $"{baseline}: gradient variance {variance[baseline].Grad:G4} vs {variance[DiceBaseline.None].Grad:G4} without a baseline");
            Assert.True(variance[baseline].Hvp < 0.1 * variance[DiceBaseline.None].Hvp,
                $"{baseline}: HVP variance {variance[baseline].Hvp:G4} vs {variance[DiceBaseline.None].Hvp:G4} without a baseline");
        }
    }

    private static (Tensor Row, Tensor Col, Tensor V) Pair(Generator generator) =>
        (randn(1, 5, generator: generator) * 0.5, randn(1, 5, generator: generator) * 0.5, randn(1, 5, generator: generator));

    private record Derivative(Tensor RowGrad, Tensor ColGrad, Tensor Hvp);

    /// <summary>Exact (truncation-free) derivatives of the row player's return.</summary>
    private static Derivative ExactDerivatives(MatrixGame game, Tensor baseRow, Tensor baseCol, Tensor v)
    {
        var row = baseRow.clone().requires_grad_(true);
        var col = baseCol.clone().requires_grad_(true);
        var (value, _) = new ExactGame(game).Returns(row, col);
        return Derivatives(value.sum(), row, col, v);
    }

    /// <summary>DiCE estimates, one per copy.</summary>
    private static Derivative Estimates(MatrixGame game, Tensor baseRow, Tensor baseCol, Tensor v, Generator generator, DiceBaseline baseline)
    {
        var row = baseRow.expand(Copies, 5).clone().requires_grad_(true);
        var col = baseCol.expand(Copies, 5).clone().requires_grad_(true);
        using var rollout = new SampledGame(game).Play(row, col, Samples, Length, generator);
        return Derivatives(DiceObjective.Of(rollout, Seat.Row, baseline), row, col, v);
    }

    private static Derivative Derivatives(Tensor objective, Tensor row, Tensor col, Tensor v)
    {
        var grads = Autodiff.Grad(objective, [row, col], createGraph: true);
        var hvp = Autodiff.Grad((grads[1] * v).sum(), [row])[0];
        return new Derivative(grads[0].detach(), grads[1].detach(), hvp.detach());
    }

    private static double TotalVariance(Tensor estimates) => estimates.var(0).sum().item<float>();

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
