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

    /// <summary>A batch of several chunks (spread over the cores) gives every game the very numbers it gets in a
    /// batch of its own slice, which stays on one thread: values, gradients, tangents and the values-only path.</summary>
    [Fact]
    public void A_batch_spread_over_the_cores_gives_each_game_its_numbers_alone_to_the_bit()
    {
        var game = TestGames.Get("ipd");
        int batch = 3 * ExactValueKernel.ChunkGames + 37, d = game.PolicySize, slice = 101;
        using var scope = NewDisposeScope();
        using var generator = new Generator(25);
        float[] Draw() => PolicyTensors.ToArray(randn(batch, d, generator: generator) * 2);
        float[] x = Draw(), y = Draw(), tangent = Draw();
        var kernel = new ExactValueKernel(game);
        var whole = kernel.Evaluate(x, y, batch);
        var dual = kernel.Evaluate(x, y, batch, colTangent: tangent);
        var (rowValues, colValues) = new ExactValueKernel(game).Values(x, y, batch);
        for (int start = 0; start < batch; start += slice)
        {
            int count = Math.Min(slice, batch - start);
            float[] Part(float[] a) => a.AsSpan(start * d, count * d).ToArray();
            float[] Of(float[] a, int width) => a.AsSpan(start * width, count * width).ToArray();
            var part = new ExactValueKernel(game).Evaluate(Part(x), Part(y), count);
            var partDual = new ExactValueKernel(game).Evaluate(Part(x), Part(y), count, colTangent: Part(tangent));
            foreach (var player in new[] { Seat.Row, Seat.Col })
            {
                Assert.Equal(part.Value(player), Of(whole.Value(player), 1));
                Assert.Equal(part.Value(player), Of(player == Seat.Row ? rowValues : colValues, 1));
                foreach (var wrt in new[] { Seat.Row, Seat.Col })
                {
                    Assert.Equal(part.Gradient(player, wrt), Of(whole.Gradient(player, wrt), d));
                    Assert.Equal(partDual.TangentOfGradient(player, wrt), Of(dual.TangentOfGradient(player, wrt), d));
                }
            }
        }
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
