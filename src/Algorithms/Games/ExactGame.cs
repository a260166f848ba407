using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// The exact discounted return of two batched policies as a TorchSharp expression, differentiable to any order:
/// p0ᵀ(I − γP)⁻¹r for memory-one iterated games, xᵀRy for one-shot games. Used where autograd must run through
/// the value (M-MAML unrolls, gradient checks); the exact learners' hot path is <see cref="ExactValueKernel"/>.
/// </summary>
public sealed class ExactGame(MatrixGame game)
{
    private static readonly long[] ColLogitOfState = [0, 1, 3, 2, 4];

    public MatrixGame Game { get; } = game.Validated();

    /// <summary>Discounted returns [B] of the row and the col player (unscaled; multiply by RewardScale for rewards).</summary>
    public (Tensor Row, Tensor Col) Returns(Tensor row, Tensor col)
    {
        using var scope = NewDisposeScope();
        var visits = StateVisits(row, col);
        var rowPayoff = NativeTensors.Of(Game.RowPayoff).to(row.dtype);
        var colPayoff = NativeTensors.Of(Game.ColPayoff).to(row.dtype);
        return (visits.matmul(rowPayoff).MoveToOuterDisposeScope(), visits.matmul(colPayoff).MoveToOuterDisposeScope());
    }

    /// <summary>Discounted joint-state visits [B, 4] (CC, CD, DC, DD): p0ᵀ(I − γP)⁻¹, or p0 for one-shot games.</summary>
    public Tensor StateVisits(Tensor row, Tensor col)
    {
        PolicyGuard.CheckPair(Game, row, col);
        using var scope = NewDisposeScope();
        var joint = JointActionProbabilities(row, col); // [B, d, 4]
        var first = joint.select(1, 0);
        if (!Game.Iterated) return first.MoveToOuterDisposeScope();
        var transitions = joint.narrow(1, 1, 4);
        var system = eye(4, dtype: row.dtype) - (float)Game.Discount * transitions;
        // Solve (I − γP)ᵀ m = p0 for the visit vector m.
        var visits = linalg.solve(system.transpose(1, 2), first);
        return visits.MoveToOuterDisposeScope();
    }

    private Tensor JointActionProbabilities(Tensor row, Tensor col)
    {
        var p = row.sigmoid();
        var q = Game.Iterated ? col.index_select(1, NativeTensors.Of(ColLogitOfState)).sigmoid() : col.sigmoid();
        var rowActions = stack([p, 1 - p], -1);          // [B, d, 2]
        var colActions = stack([q, 1 - q], -1);
        return (rowActions.unsqueeze(-1) * colActions.unsqueeze(-2)).flatten(-2); // [B, d, 4]
    }
}
