using System.Runtime.InteropServices;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// The last plain evaluation (no tangents) the exact kernel computed on this thread, with copies of the policies it
/// was computed for. In one step of a match the players and the referee ask the kernel about the same joint policy:
/// the referee values the pair both players chose, and in the next step each exact learner (NL, LOLA, ...) asks for
/// the gradients at that same pair. The kernel answers all of them with one evaluation. A hit needs the same game
/// (by reference) and bit-identical policies, so an answer from the memo is the very answer a fresh evaluation
/// would give; the memo changes only the speed. It is per thread because a match's loop runs on one thread (actors
/// that run on different threads simply miss), and it holds one evaluation, so it stays the size of one step.
/// </summary>
internal static class EvaluationMemo
{
    private sealed record Entry(MatrixGame Game, float[] Row, float[] Col, int Batch, ExactEvaluation Result);

    [ThreadStatic] private static Entry? _last;
    [ThreadStatic] private static long _requests;

    /// <summary>Plain evaluations asked for on this thread so far (hits and misses): a referee that sees this
    /// number move knows that someone on its thread wants gradients at the pairs it values.</summary>
    public static long Requests => _requests;

    public static ExactEvaluation? Find(MatrixGame game, ReadOnlySpan<float> row, ReadOnlySpan<float> col, int batch)
    {
        _requests++;
        var last = _last;
        return last is not null && ReferenceEquals(last.Game, game) && last.Batch == batch
               && Same(last.Row, row) && Same(last.Col, col)
            ? last.Result
            : null;
    }

    public static void Keep(MatrixGame game, ReadOnlySpan<float> row, ReadOnlySpan<float> col, int batch, ExactEvaluation result) =>
        _last = new Entry(game, row.ToArray(), col.ToArray(), batch, result);

    // Bitwise, so −0 ≠ +0 and a NaN equals the same NaN: what matters is that the kernel would see the same bits.
    private static bool Same(float[] kept, ReadOnlySpan<float> asked) =>
        MemoryMarshal.AsBytes(kept.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(asked));
}
