using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Rejects bad policies in managed code. libtorch errors inside autograd.grad abort the whole process in this
/// TorchSharp (no managed exception), so everything that reaches a gradient call is checked here first.
/// </summary>
public static class PolicyGuard
{
    public static void CheckPair(MatrixGame game, Tensor row, Tensor col)
    {
        Check(game, row, "row");
        Check(game, col, "col");
        if (row.dtype != col.dtype)
            throw new ArgumentException($"game '{game.Name}': row and col policies differ in type ({row.dtype} vs {col.dtype})");
        if (row.shape[0] != col.shape[0])
            throw new ArgumentException($"game '{game.Name}': row and col batches differ ({row.shape[0]} vs {col.shape[0]})");
    }

    public static void Check(MatrixGame game, Tensor policy, string who)
    {
        if (policy.dim() != 2 || policy.shape[1] != game.PolicySize)
            throw new ArgumentException(
                $"game '{game.Name}': the {who} policy must be [B, {game.PolicySize}] logits, got [{string.Join(", ", policy.shape)}]");
        if (policy.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"game '{game.Name}': the {who} policy must be float32 or float64, got {policy.dtype}");
    }

    /// <summary>Throws when any logit is NaN or infinite, naming the learner.</summary>
    public static void CheckFinite(Tensor policy, string who)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (!policy.isfinite().all().item<bool>())
            throw new ArithmeticException($"{who}: policy parameters became NaN or infinite");
    }

    public static void CheckFinite(ReadOnlySpan<float> values, string who)
    {
        if (FiniteScan.IndexOfNonFinite(values) >= 0) throw new ArithmeticException($"{who}: policy parameters became NaN or infinite");
    }
}
