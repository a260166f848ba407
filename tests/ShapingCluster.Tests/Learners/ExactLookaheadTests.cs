using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>lola-lookahead is LOLA-DiCE's rule on exact values, and lola-dice estimates it.</summary>
public class ExactLookaheadTests(ITestOutputHelper output)
{
    [Fact]
    public void Without_look_ahead_it_is_the_exact_naive_step()
    {
        var game = TestGames.Get("ipd");
        using var generator = new Generator(71);
        var own = randn(16, 5, generator: generator);
        var other = randn(16, 5, generator: generator);
        var settings = TestGames.Defaults.LearnerSettings("lola-lookahead", game) with { LookaheadSteps = 0, LearningRate = 0.7 };
        var naive = LearnerCatalog.Create("nl", game, TestGames.Defaults.LearnerSettings("nl", game) with { LearningRate = 0.7 });
        foreach (var seat in new[] { Seat.Row, Seat.Col })
        {
            var step = LearnerCatalog.Create("lola-lookahead", game, settings).Step(own, other, seat, generator);
            Assert.True(step.allclose(naive.Step(own, other, seat, generator), rtol: 1e-4, atol: 1e-5), $"{seat}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Its_direction_is_the_total_derivative_through_the_look_ahead_by_finite_differences(int lookahead)
    {
        // V_own(θ, φ_K(θ)) with φ_{k+1} = φ_k + η ∇φ V_other(θ, φ_k): central differences in float64 of that
        // function of θ, each evaluation computing the look-ahead with first-order gradients only.
        var game = TestGames.Get("ipd");
        var exact = new ExactGame(game);
        using var generator = new Generator(73);
        var own = (randn(3, 5, generator: generator) * 0.7).to(ScalarType.Float64);
        var other = (randn(3, 5, generator: generator) * 0.7).to(ScalarType.Float64);
        const double eta = 0.3;
        var settings = TestGames.Defaults.LearnerSettings("lola-lookahead", game) with
        {
            LookaheadSteps = lookahead, LookaheadRate = eta, LearningRate = 1,
        };
        var direction = LearnerCatalog.Create("lola-lookahead", game, settings).Step(own, other, Seat.Col, generator) - own;
        double LookedAheadValue(Tensor theta, int b)
        {
            var phi = other.clone();
            for (int k = 0; k < lookahead; k++)
            {
                var p = phi.clone().requires_grad_(true);
                var (rowValue, _) = exact.Returns(p, theta);
                phi = (phi + eta * Autodiff.Grad(rowValue.sum(), [p])[0]).detach();
            }
            return exact.Returns(phi, theta).Col[b].item<double>();
        }
        const double h = 1e-5;
        for (int b = 0; b < 3; b++)
            for (int i = 0; i < 5; i++)
            {
                var plus = own.clone(); plus[b, i] += h;
                var minus = own.clone(); minus[b, i] -= h;
                double numeric = (LookedAheadValue(plus, b) - LookedAheadValue(minus, b)) / (2 * h);
                Assert.Equal(numeric, direction[b, i].item<double>(), 5);
            }
    }

    [Fact]
    public void Lola_dice_with_two_look_aheads_estimates_it()
    {
        // One start copied over 64 games; the mean sampled step must point where the exact rule points.
        var game = TestGames.Get("ipd");
        using var generator = new Generator(75);
        var own = (randn(1, 5, generator: generator) * 0.5).expand(64, 5).contiguous();
        var other = (randn(1, 5, generator: generator) * 0.5).expand(64, 5).contiguous();
        var dice = TestGames.Defaults.LearnerSettings("lola-dice", game) with
        {
            LookaheadSteps = 2, LookaheadRate = 0.3, LearningRate = 1, Rollouts = 512, RolloutLength = 150,
        };
        var sampled = (LearnerCatalog.Create("lola-dice", game, dice).Step(own, other, Seat.Row, generator) - own).mean([0]);
        var rule = TestGames.Defaults.LearnerSettings("lola-lookahead", game) with { LookaheadSteps = 2, LookaheadRate = 0.3, LearningRate = 1 };
        var exact = (LearnerCatalog.Create("lola-lookahead", game, rule).Step(own[..1], other[..1], Seat.Row, generator) - own[..1]).squeeze(0);
        var cosine = ((sampled * exact).sum() / (sampled.norm() * exact.norm())).item<float>();
        output.WriteLine($"cosine {cosine:F4}");
        Assert.True(cosine > 0.95f, $"cosine {cosine:F3} between the mean lola-dice step and the exact rule's");
    }
}
