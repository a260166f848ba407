using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Learners;

/// <summary>The sampled learners follow their exact counterparts on average.</summary>
public class SampledLearnerTests(ITestOutputHelper output)
{
    [Fact]
    public void Naive_policy_gradient_step_agrees_with_the_exact_gradient() => AssertAgreement("nl-pg", 256, minimumCosine: 0.95f);

    // The LOLA estimators multiply noisy estimates (lola-pg: v̂ᵀĤ from the same roll-outs; lola-dice: a look-ahead
    // step of a noisy gradient), so their mean step is biased at small sample sizes and converges as roll-outs grow.
    // Measured (64 copies, rewards centred by the other roll-outs): cosine 0.988 / 0.986 at 16 roll-outs per game,
    // 0.9989 / 0.9997 at 1024 (lola-pg / lola-dice); before the centring 0.88 / 0.94 at 256 and 0.993 / 0.997 at 1024.
    [Theory]
    [InlineData("lola-pg")]
    [InlineData("lola-dice")]
    public void Lola_estimators_converge_to_the_exact_rule_as_rollouts_grow(string learnerName)
    {
        var few = AssertAgreement(learnerName, 16, minimumCosine: -1f);
        var many = AssertAgreement(learnerName, 1024, minimumCosine: 0.95f);
        Assert.True(many > few, $"{learnerName}: cosine {few:F3} at 16 roll-outs, {many:F3} at 1024");
    }

    private float AssertAgreement(string learnerName, int rollouts, float minimumCosine, bool opponentModel = false)
    {
        // One start copied over many games: the mean sampled step must point where the exact version of the same
        // rule points, computed with autograd on the closed-form value.
        var game = TestGames.Get("ipd");
        var settings = TestGames.Defaults.LearnerSettings(learnerName, game) with
        {
            Rollouts = rollouts, RolloutLength = 150, OpponentModel = opponentModel,
        };
        var learner = LearnerCatalog.Create(learnerName, game, settings);
        using var generator = new Generator(61);
        var own = (randn(1, 5, generator: generator) * 0.5).expand(64, 5).contiguous();
        var other = (randn(1, 5, generator: generator) * 0.5).expand(64, 5).contiguous();
        var step = (learner.Step(own, other, Seat.Col, generator) - own).mean([0]);
        var exact = ExactStep(learnerName, game, own[..1], other[..1], settings).squeeze(0);
        var cosine = ((step * exact).sum() / (step.norm() * exact.norm())).item<float>();
        output.WriteLine($"{learnerName}{(opponentModel ? " + opponent model" : "")}, {rollouts} roll-outs: cosine {cosine:F4}");
        Assert.True(cosine > minimumCosine, $"{learnerName}{(opponentModel ? " with an opponent model" : "")}: cosine with the exact step is {cosine:F3} (sampled {Show(step)}, exact {Show(exact)})");
        return cosine;
    }

    private static string Show(Tensor t) => string.Join(", ", t.data<float>().ToArray().Select(x => x.ToString("F3")));

    /// <summary>What the sampled rules estimate, with the learner at the column seat.</summary>
    private static Tensor ExactStep(string rule, MatrixGame game, Tensor own, Tensor other, LearnerSettings settings)
    {
        var exact = new ExactGame(game);
        var x = own.clone().requires_grad_(true);
        var y = other.clone().requires_grad_(true);
        var (otherValue, ownValue) = exact.Returns(y, x);
        var ownGrad = Autodiff.Grad(ownValue.sum(), [x], createGraph: true)[0];
        switch (rule)
        {
            case "nl-pg":
                return settings.LearningRate * ownGrad.detach();
            case "lola-pg":
            {
                // ∇own V_own + η H_{own,other}(V_other) · ∇other V_own
                var v = Autodiff.Grad(ownValue.sum(), [y])[0].detach();
                var otherGrad = Autodiff.Grad(otherValue.sum(), [y], createGraph: true)[0];
                var shaping = Autodiff.Grad((otherGrad * v).sum(), [x])[0];
                return settings.LearningRate * (ownGrad.detach() + settings.LookaheadRate * shaping);
            }
            default:
            {
                // ∇own V_own(own, other + η ∇other V_other(own, other)) for one look-ahead step.
                var otherGrad = Autodiff.Grad(otherValue.sum(), [y], createGraph: true)[0];
                var (_, ownAfter) = exact.Returns(y + settings.LookaheadRate * otherGrad, x);
                return settings.LearningRate * Autodiff.Grad(ownAfter.sum(), [x])[0];
            }
        }
    }

    // With the opponent model the estimators use a maximum-likelihood fit of the opponent's observed actions in place
    // of its parameters; with 1024 roll-outs of 150 steps the fit is close, so the step must still follow the exact
    // LOLA rule (which uses the true parameters). Measured (64 copies): cosine 0.9993 (lola-pg), 0.9997 (lola-dice).
    [Theory]
    [InlineData("lola-pg")]
    [InlineData("lola-dice")]
    public void Lola_estimators_with_an_opponent_model_follow_the_exact_rule(string learnerName) =>
        AssertAgreement(learnerName, 1024, minimumCosine: 0.95f, opponentModel: true);

    [Fact]
    public void Policy_gradient_lola_with_an_opponent_model_scores_the_fit_not_the_true_parameters()
    {
        // lola-pg draws nothing for its fit, so the same generator seed gives both variants the same roll-outs: any
        // difference between their steps comes from the opponent's score under the fitted parameters.
        var game = TestGames.Get("ipd");
        var settings = TestGames.Defaults.LearnerSettings("lola-pg", game) with { Rollouts = 64, RolloutLength = 50 };
        var own = full(8, 5, 0.3f);
        var other = full(8, 5, -0.4f);
        Tensor StepWith(bool model)
        {
            using var generator = new Generator(5);
            return LearnerCatalog.Create("lola-pg", game, settings with { OpponentModel = model }).Step(own, other, Seat.Row, generator);
        }
        var withModel = StepWith(true);
        var withTruth = StepWith(false);
        Assert.False(withModel.allclose(withTruth, rtol: 0, atol: 1e-6), "the opponent model changed nothing");
        // ...and the fit of 64 × 50 observed actions is close enough that both steps are alike.
        var cosine = ((withModel - own) * (withTruth - own)).sum() / ((withModel - own).norm() * (withTruth - own).norm());
        Assert.True(cosine.item<float>() > 0.9f, $"cosine between the steps with and without the model is {cosine.item<float>():F3}");
    }

    [Fact]
    public void Naive_policy_gradient_learner_improves_against_a_static_opponent()
    {
        var game = TestGames.Get("ipd");
        var settings = TestGames.Defaults.LearnerSettings("nl-pg", game) with { Rollouts = 16 };
        var result = TestGames.Play(game, LearnerCatalog.Create("nl-pg", game, settings),
            TestGames.Defaults.CreateLearner("static", game), 256, 30, seed: 4);
        Assert.True(result.Row.Curve[^1] > result.Row.Curve[0] + 0.2,
            $"reward went from {result.Row.Curve[0]:F3} to {result.Row.Curve[^1]:F3}");
    }
}
