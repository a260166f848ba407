using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Games;

/// <summary>The autograd exact value against central finite differences, in float64, for every shipped game.</summary>
public class ExactGameDerivativeTests
{
    private const int Batch = 6;
    private const double Step = 1e-5;

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Gradients_of_both_players_match_finite_differences(string gameName)
    {
        var exact = new ExactGame(TestGames.Get(gameName));
        var (row, col) = RandomPair(exact.Game, seed: 11);
        var (vr, vc) = exact.Returns(row, col);
        var rowGrads = Autodiff.Grad(vr.sum(), [row, col]);
        var colGrads = Autodiff.Grad(vc.sum(), [row, col]);
        for (int player = 0; player < 2; player++)
            for (int wrt = 0; wrt < 2; wrt++)
            {
                var analytic = (player == 0 ? rowGrads : colGrads)[wrt];
                var numeric = FiniteDifference(p => Values(exact, p.Row, p.Col)[player], row, col, wrt);
                AssertClose(numeric, analytic, 1e-6, $"{gameName} player {player} wrt {wrt}");
            }
    }

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Mixed_hessian_vector_products_match_finite_differences_of_gradients(string gameName)
    {
        var exact = new ExactGame(TestGames.Get(gameName));
        var (row, col) = RandomPair(exact.Game, seed: 12);
        using var generator = new Generator(13);
        var v = randn(col.shape, dtype: ScalarType.Float64, generator: generator);
        for (int player = 0; player < 2; player++)
        {
            // Autograd: ∇row [(∇col V_player) · v].
            var values = exact.Returns(row, col);
            var value = player == 0 ? values.Row : values.Col;
            var colGrad = Autodiff.Grad(value.sum(), [col], createGraph: true)[0];
            var hvp = Autodiff.Grad((colGrad * v).sum(), [row])[0];
            // Finite differences of ∇row V_player along col + εv.
            Tensor GradRowAt(Tensor c)
            {
                var r = row.detach().clone().requires_grad_(true);
                var vals = exact.Returns(r, c.detach());
                return Autodiff.Grad((player == 0 ? vals.Row : vals.Col).sum(), [r])[0];
            }
            var numeric = (GradRowAt(col + Step * v) - GradRowAt(col - Step * v)) / (2 * Step);
            AssertClose(numeric, hvp, 1e-5, $"{gameName} player {player}");
        }
    }

    internal static (Tensor Row, Tensor Col) RandomPair(MatrixGame game, int seed, ScalarType dtype = ScalarType.Float64)
    {
        using var generator = new Generator((ulong)seed);
        var row = randn(Batch, game.PolicySize, dtype: dtype, generator: generator).requires_grad_(true);
        var col = randn(Batch, game.PolicySize, dtype: dtype, generator: generator).requires_grad_(true);
        return (row, col);
    }

    private static Tensor[] Values(ExactGame exact, Tensor row, Tensor col)
    {
        using var _ = no_grad();
        var (r, c) = exact.Returns(row, col);
        return [r, c];
    }

    private static Tensor FiniteDifference(Func<(Tensor Row, Tensor Col), Tensor> f, Tensor row, Tensor col, int wrt)
    {
        var target = wrt == 0 ? row : col;
        var result = zeros_like(target);
        using var _ = no_grad();
        for (long k = 0; k < target.shape[1]; k++)
        {
            var e = zeros_like(target);
            e[TensorIndex.Colon, k] = tensor(Step, dtype: ScalarType.Float64);
            var plus = wrt == 0 ? f((row + e, col)) : f((row, col + e));
            var minus = wrt == 0 ? f((row - e, col)) : f((row, col - e));
            result[TensorIndex.Colon, k] = (plus - minus) / (2 * Step);
        }
        return result;
    }

    internal static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        expected = expected.to(ScalarType.Float64);
        actual = actual.to(ScalarType.Float64);
        var scale = Math.Max(1.0, expected.abs().max().item<double>());
        var error = (expected - actual).abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"{what}: max error {error:G3} > {tolerance * scale:G3}");
    }
}
