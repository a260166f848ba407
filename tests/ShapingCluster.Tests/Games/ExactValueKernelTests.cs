using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Games;

/// <summary>The fused SIMD kernel (float32) against the autograd exact value, for every shipped game.</summary>
public class ExactValueKernelTests
{
    // A batch that is not a multiple of the SIMD width, to cover the padded tail.
    private const int Batch = 37;

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Values_and_gradients_match_autograd(string gameName)
    {
        var game = TestGames.Get(gameName);
        var (row, col) = Pair(game, 21);
        var eval = new ExactValueKernel(game).Evaluate(PolicyTensors.ToArray(row), PolicyTensors.ToArray(col), Batch);
        var (vr, vc) = new ExactGame(game).Returns(row, col);
        Compare(vr, eval.Value(Seat.Row), [Batch], "row value");
        Compare(vc, eval.Value(Seat.Col), [Batch], "col value");
        foreach (var player in new[] { Seat.Row, Seat.Col })
        {
            var grads = Autodiff.Grad((player == Seat.Row ? vr : vc).sum(), [row, col], createGraph: true);
            Compare(grads[0], eval.Gradient(player, Seat.Row), row.shape, $"{player} wrt row");
            Compare(grads[1], eval.Gradient(player, Seat.Col), col.shape, $"{player} wrt col");
        }
    }

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Tangents_are_mixed_hessian_vector_products(string gameName)
    {
        var game = TestGames.Get(gameName);
        var (row, col) = Pair(game, 22);
        using var generator = new Generator(23);
        var v = randn(Batch, game.PolicySize, generator: generator);
        var eval = new ExactValueKernel(game).Evaluate(PolicyTensors.ToArray(row), PolicyTensors.ToArray(col), Batch,
            colTangent: PolicyTensors.ToArray(v));
        var (vr, vc) = new ExactGame(game).Returns(row, col);
        foreach (var player in new[] { Seat.Row, Seat.Col })
        {
            var colGrad = Autodiff.Grad((player == Seat.Row ? vr : vc).sum(), [col], createGraph: true)[0];
            var hvp = Autodiff.Grad((colGrad * v).sum(), [row, col]);
            Compare(hvp[0], eval.TangentOfGradient(player, Seat.Row), row.shape, $"{player}: row-col HVP");
            Compare(hvp[1], eval.TangentOfGradient(player, Seat.Col), col.shape, $"{player}: col-col HVP");
        }
    }

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void Values_alone_are_the_full_evaluations_values(string gameName)
    {
        var game = TestGames.Get(gameName);
        var (row, col) = Pair(game, 24);
        var kernel = new ExactValueKernel(game);
        var x = PolicyTensors.ToArray(row);
        var y = PolicyTensors.ToArray(col);
        var full = kernel.Evaluate(x, y, Batch);
        var (rowValue, colValue) = kernel.Values(x, y, Batch);
        Assert.Equal(full.Value(Seat.Row), rowValue);
        Assert.Equal(full.Value(Seat.Col), colValue);
    }

    private static (Tensor Row, Tensor Col) Pair(MatrixGame game, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return (randn(Batch, game.PolicySize, generator: generator).requires_grad_(true),
                randn(Batch, game.PolicySize, generator: generator).requires_grad_(true));
    }

    private static void Compare(Tensor expected, float[] actual, long[] shape, string what) =>
        ExactGameDerivativeTests.AssertClose(expected.detach(), tensor(actual, shape), 2e-4, what);
}
