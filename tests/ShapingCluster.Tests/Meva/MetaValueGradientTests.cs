using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Meva;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Meva;

/// <summary>
/// ∇̄Û, the input-gradient the MeVa step follows, against central finite differences of Û's own outputs: player i's
/// block is ∂Û_i/∂x_i only (not the gradient of both players' sum, which also moves with x_i through the other
/// player's input). In float32 with h = 1e-2 on logits the central difference's truncation error is about
/// h²/6·|Û'''| ≈ 2e-5 and its rounding error about 1e-7/h = 1e-5 for outputs of order one, so 1e-4 is 5-10× above
/// the expected error and two orders below the gradients checked (of order 1e-2 to 1e-1).
/// </summary>
public class MetaValueGradientTests
{
    private const int Count = 16;
    private const float H = 1e-2f, Tolerance = 1e-4f;

    private static float[] Normal(int n, Generator generator, float scale)
    {
        using var scope = NewDisposeScope();
        return PolicyTensors.ToArray(randn(n, 1, generator: generator) * scale);
    }

    [Theory]
    [InlineData("ipd", "variable-discount.enabled = off")]
    [InlineData("imp", "")] // roles differ (a seat input) and variable discounting (a γ input)
    [InlineData("chicken", "network.layers = 3")]
    public void The_input_gradient_of_the_meta_value_agrees_with_central_finite_differences(string game, string settings)
    {
        using var meva = MevaTestMembers.Create(game, settings);
        var model = meva.Online;
        int d = model.Game.PolicySize;
        using var generator = new Generator(17);
        var rows = Normal(Count * d, generator, 1.5f);
        var cols = Normal(Count * d, generator, 1.5f);
        var discounts = Normal(Count, generator, 0.1f).Select(x => 0.5f + x).ToArray();
        var (gradRow, gradCol) = model.JointGradients(rows, cols, Count, discounts);

        float[] Outputs(float[] r, float[] c)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return PolicyTensors.ToArray(model.JointOutputs(r, c, Count, discounts));
        }
        double largest = 0;
        for (int k = 0; k < d; k++)
        {
            var (rowPlus, rowMinus, colPlus, colMinus) = ((float[])rows.Clone(), (float[])rows.Clone(), (float[])cols.Clone(), (float[])cols.Clone());
            for (int n = 0; n < Count; n++)
            {
                rowPlus[n * d + k] += H; rowMinus[n * d + k] -= H;
                colPlus[n * d + k] += H; colMinus[n * d + k] -= H;
            }
            // Moving every game's logit k at once is fine: games are independent rows of the batch.
            var (rp, rm) = (Outputs(rowPlus, cols), Outputs(rowMinus, cols));
            var (cp, cm) = (Outputs(rows, colPlus), Outputs(rows, colMinus));
            for (int n = 0; n < Count; n++)
            {
                float rowDifference = (rp[n] - rm[n]) / (2 * H), colDifference = (cp[Count + n] - cm[Count + n]) / (2 * H);
                Assert.True(Math.Abs(rowDifference - gradRow[n * d + k]) < Tolerance, $"row game {n} logit {k}: {gradRow[n * d + k]} vs {rowDifference}");
                Assert.True(Math.Abs(colDifference - gradCol[n * d + k]) < Tolerance, $"col game {n} logit {k}: {gradCol[n * d + k]} vs {colDifference}");
                largest = Math.Max(largest, Math.Max(Math.Abs(gradRow[n * d + k]), Math.Abs(gradCol[n * d + k])));
            }
        }
        Assert.True(largest > 100 * Tolerance, $"the gradients checked are too small to mean anything ({largest})");
    }

    [Theory]
    [InlineData(Seat.Row)]
    [InlineData(Seat.Col)]
    public void A_player_follows_the_same_input_gradient_as_the_joint_computation_gives_its_seat(Seat seat)
    {
        using var meva = MevaTestMembers.Create("imp");
        var model = meva.Online;
        using var generator = new Generator(23);
        var rows = Normal(Count * 5, generator, 1f);
        var cols = Normal(Count * 5, generator, 1f);
        var discounts = Enumerable.Repeat(0.7f, Count).ToArray();
        var (gradRow, gradCol) = model.JointGradients(rows, cols, Count, discounts);
        var own = seat == Seat.Row ? model.OwnGradient(rows, cols, Count, seat, discounts) : model.OwnGradient(cols, rows, Count, seat, discounts);
        var expected = seat == Seat.Row ? gradRow : gradCol;
        for (int i = 0; i < own.Length; i++) Assert.True(Math.Abs(own[i] - expected[i]) < 1e-6, $"{i}: {own[i]} vs {expected[i]}");
    }
}
