using System.Numerics;
using System.Runtime.InteropServices;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// The exact discounted return of two memory-one policies and its gradients, in closed form, fused per game and
/// vectorised across games with SIMD. With V = p0ᵀ(I − γP)⁻¹r, u = (I − γP)⁻ᵀp0 (discounted state visits) and
/// w = (I − γP)⁻¹r (state values), dV = dp0·w + γ uᵀ dP w, so one 4x4 LU per game gives both players' values and
/// gradients. Running the same code on <see cref="DualLane"/> adds forward-mode tangents: the directional
/// derivative of every gradient, i.e. the mixed Hessian-vector products of LOLA.
/// This is the fast path for the exact learners; <see cref="ExactGame"/> is the autograd version (any order of
/// derivatives) and the tests hold the two against each other and against finite differences.
/// One-shot games are the special case γ = 0 with a single logit: u = p0, w = r.
/// </summary>
public sealed class ExactValueKernel(MatrixGame game)
{
    // The column player's own-perspective state order swaps CD and DC relative to the joint (row-first) order.
    private static readonly int[] ColLogitOfState = [0, 2, 1, 3];

    public MatrixGame Game { get; } = game.Validated();

    /// <summary>
    /// Values and gradients of both players for a batch of games. Policies are [B, d] row-major logits.
    /// With <paramref name="rowTangent"/> or <paramref name="colTangent"/> (same shape), the result also carries
    /// the directional derivative of each gradient along those tangents.
    /// </summary>
    public ExactEvaluation Evaluate(ReadOnlySpan<float> row, ReadOnlySpan<float> col, int batch,
        ReadOnlySpan<float> rowTangent = default, ReadOnlySpan<float> colTangent = default)
    {
        int d = Game.PolicySize;
        if (batch <= 0 || row.Length != batch * d || col.Length != batch * d)
            throw new ArgumentException($"game '{Game.Name}': policies must be [{batch}, {d}] logits");
        bool dual = !rowTangent.IsEmpty || !colTangent.IsEmpty;
        if ((!rowTangent.IsEmpty && rowTangent.Length != row.Length) || (!colTangent.IsEmpty && colTangent.Length != col.Length))
            throw new ArgumentException($"game '{Game.Name}': tangents must have the policies' shape");

        if (!dual && EvaluationMemo.Find(Game, row, col, batch) is { } known) return known;
        int lanes = Vector<float>.Count, padded = (batch + lanes - 1) / lanes * lanes;
        var layout = new SoaLayout(d, batch, padded);
        var x = layout.ToSoa(row);
        var y = layout.ToSoa(col);
        var result = new ExactEvaluation(layout, dual);
        if (dual)
        {
            float[]? tx = rowTangent.IsEmpty ? null : layout.ToSoa(rowTangent), ty = colTangent.IsEmpty ? null : layout.ToSoa(colTangent);
            InChunks(padded, (from, to) => RunBlocks<DualLane>(layout, x, y, tx, ty, result, from, to));
        }
        else
        {
            InChunks(padded, (from, to) => RunBlocks<Lane>(layout, x, y, null, null, result, from, to));
            EvaluationMemo.Keep(Game, row, col, batch, result);
        }
        return result;
    }

    /// <summary>Games per chunk when a large batch is spread over the cores: 1,024 games are ~0.13 ms of plain
    /// evaluation here, long beside waking a helper (tens of µs), so 4,096 games make four chunks; a batch of at
    /// most one chunk stays on the caller's thread.</summary>
    public const int ChunkGames = 1024;

    /// <summary>Runs body over [from, to) ranges of the padded games, in chunks of <see cref="ChunkGames"/> spread
    /// over the cores. Each game's numbers are computed by the same code whichever thread runs its chunk.</summary>
    private static void InChunks(int padded, Action<int, int> body)
    {
        if (padded <= ChunkGames)
        {
            body(0, padded);
            return;
        }
        ParallelChunks.Run((padded + ChunkGames - 1) / ChunkGames, ParallelChunks.DefaultThreads, () => 0,
            (chunk, _) => body(chunk * ChunkGames, Math.Min(padded, (chunk + 1) * ChunkGames)));
    }

    /// <summary>Plain evaluations asked for on this thread when <see cref="Values"/> last ran.</summary>
    private long _requestsSeen;

    /// <summary>Only the discounted returns [B] of both players (what a referee needs): the same per-game
    /// computation as <see cref="Evaluate"/> without the state visits and gradients, and no gradient arrays.
    /// When plain evaluations were asked for on this thread since the last call (exact learners play this match
    /// here), it runs the full <see cref="Evaluate"/> instead, whose result the learners' next step then finds in the
    /// <see cref="EvaluationMemo"/>: one evaluation per step serves the referee and both learners. The values are
    /// the same either way (the same per-game code computes them).</summary>
    public (float[] Row, float[] Col) Values(ReadOnlySpan<float> row, ReadOnlySpan<float> col, int batch)
    {
        int d = Game.PolicySize;
        if (batch <= 0 || row.Length != batch * d || col.Length != batch * d)
            throw new ArgumentException($"game '{Game.Name}': policies must be [{batch}, {d}] logits");
        if (EvaluationMemo.Requests != _requestsSeen)
        {
            var full = Evaluate(row, col, batch);
            _requestsSeen = EvaluationMemo.Requests; // its own request included
            return (full.Value(Seat.Row), full.Value(Seat.Col));
        }
        int lanes = Vector<float>.Count, n = (batch + lanes - 1) / lanes * lanes;
        var layout = new SoaLayout(d, batch, n);
        var x = layout.ToSoa(row);
        var y = layout.ToSoa(col);
        float[] rowValues = new float[n], colValues = new float[n];
        InChunks(n, (from, to) => RunValues(d, n, x, y, rowValues, colValues, from, to));
        return (rowValues[..batch], colValues[..batch]);
    }

    private void RunValues(int d, int n, float[] x, float[] y, float[] rowValues, float[] colValues, int from, int to)
    {
        int lanes = Vector<float>.Count;
        Span<Lane> xs = stackalloc Lane[5], ys = stackalloc Lane[5];
        Span<Lane> values = stackalloc Lane[2];
        for (int start = from; start < to; start += lanes)
        {
            for (int k = 0; k < d; k++)
            {
                xs[k] = Lane.Load(x, null, k * n + start);
                ys[k] = Lane.Load(y, null, k * n + start);
            }
            Evaluate(xs[..d], ys[..d], values, [], [], withGradients: false);
            values[0].Value.CopyTo(rowValues, start);
            values[1].Value.CopyTo(colValues, start);
        }
    }

    private void RunBlocks<T>(SoaLayout layout, float[] x, float[] y, float[]? tx, float[]? ty, ExactEvaluation result, int from, int to)
        where T : unmanaged, ILane<T>
    {
        int d = layout.Dim, lanes = Vector<float>.Count, n = layout.Padded;
        Span<T> xs = stackalloc T[5], ys = stackalloc T[5];
        Span<T> values = stackalloc T[2], gradRow = stackalloc T[10], gradCol = stackalloc T[10];
        for (int start = from; start < to; start += lanes)
        {
            for (int k = 0; k < d; k++)
            {
                xs[k] = T.Load(x, tx, k * n + start);
                ys[k] = T.Load(y, ty, k * n + start);
            }
            Evaluate(xs[..d], ys[..d], values, gradRow, gradCol, withGradients: true);
            for (int player = 0; player < 2; player++)
            {
                values[player].ValuePart.CopyTo(result.ValuesSoa[player], start);
                for (int k = 0; k < d; k++)
                {
                    gradRow[player * d + k].ValuePart.CopyTo(result.GradRowSoa[player], k * n + start);
                    gradCol[player * d + k].ValuePart.CopyTo(result.GradColSoa[player], k * n + start);
                    if (!result.IsDual) continue;
                    gradRow[player * d + k].TangentPart.CopyTo(result.TangentGradRowSoa![player], k * n + start);
                    gradCol[player * d + k].TangentPart.CopyTo(result.TangentGradColSoa![player], k * n + start);
                }
            }
        }
    }

    /// <summary>The per-lane computation: values of both players and their gradients w.r.t. both policies.</summary>
    private void Evaluate<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> values, Span<T> gradRow, Span<T> gradCol, bool withGradients)
        where T : unmanaged, ILane<T>
    {
        var one = T.Constant(1);
        var a = T.Sigmoid(x[0]);
        var b = T.Sigmoid(y[0]);
        Span<T> p0 = [a * b, a * (one - b), (one - a) * b, (one - a) * (one - b)];
        int d = Game.PolicySize;
        Span<T> p = stackalloc T[4], q = stackalloc T[4], u = stackalloc T[4], lu = stackalloc T[16];
        Span<T> w = stackalloc T[8]; // w for player 0 then player 1
        if (Game.Iterated)
        {
            var gamma = T.Constant((float)Game.Discount);
            for (int s = 0; s < 4; s++)
            {
                p[s] = T.Sigmoid(x[1 + s]);
                q[s] = T.Sigmoid(y[1 + ColLogitOfState[s]]);
                Span<T> transition = [p[s] * q[s], p[s] * (one - q[s]), (one - p[s]) * q[s], (one - p[s]) * (one - q[s])];
                for (int t = 0; t < 4; t++)
                    lu[s * 4 + t] = (s == t ? one : T.Constant(0)) - gamma * transition[t];
            }
            // I − γP is strictly diagonally dominant (P is row-stochastic, γ < 1), so LU needs no pivoting.
            for (int k = 0; k < 4; k++)
                for (int i = k + 1; i < 4; i++)
                {
                    var factor = lu[i * 4 + k] / lu[k * 4 + k];
                    lu[i * 4 + k] = factor;
                    for (int j = k + 1; j < 4; j++) lu[i * 4 + j] = lu[i * 4 + j] - factor * lu[k * 4 + j];
                }
            for (int player = 0; player < 2; player++)
            {
                var r = player == 0 ? Game.RowPayoff : Game.ColPayoff;
                var wp = w.Slice(player * 4, 4);
                for (int i = 0; i < 4; i++)
                {
                    var z = T.Constant(r[i]);
                    for (int j = 0; j < i; j++) z = z - lu[i * 4 + j] * wp[j];
                    wp[i] = z;
                }
                for (int i = 3; i >= 0; i--)
                {
                    var z = wp[i];
                    for (int j = i + 1; j < 4; j++) z = z - lu[i * 4 + j] * wp[j];
                    wp[i] = z / lu[i * 4 + i];
                }
            }
            for (int i = 0; i < 4 && withGradients; i++)
            {
                var z = p0[i];
                for (int j = 0; j < i; j++) z = z - lu[j * 4 + i] * u[j];
                u[i] = z / lu[i * 4 + i];
            }
            for (int i = 3; i >= 0 && withGradients; i--)
            {
                var z = u[i];
                for (int j = i + 1; j < 4; j++) z = z - lu[j * 4 + i] * u[j];
                u[i] = z;
            }
        }
        else
        {
            for (int i = 0; i < 4; i++) { w[i] = T.Constant(Game.RowPayoff[i]); w[4 + i] = T.Constant(Game.ColPayoff[i]); }
        }

        var da = a * (one - a);
        var db = b * (one - b);
        for (int player = 0; player < 2; player++)
        {
            var wp = w.Slice(player * 4, 4);
            var rowCoop = wp[0] - wp[2]; // gain for the row player's C over D when the column player plays C
            var rowCoopVsD = wp[1] - wp[3];
            var colCoop = wp[0] - wp[1];
            var colCoopVsD = wp[2] - wp[3];
            values[player] = p0[0] * wp[0] + p0[1] * wp[1] + p0[2] * wp[2] + p0[3] * wp[3];
            if (!withGradients) continue;
            gradRow[player * d] = da * (b * rowCoop + (one - b) * rowCoopVsD);
            gradCol[player * d] = db * (a * colCoop + (one - a) * colCoopVsD);
            if (!Game.Iterated) continue;
            var gamma = T.Constant((float)Game.Discount);
            for (int s = 0; s < 4; s++)
            {
                var visits = gamma * u[s];
                gradRow[player * d + 1 + s] = visits * p[s] * (one - p[s]) * (q[s] * rowCoop + (one - q[s]) * rowCoopVsD);
                gradCol[player * d + 1 + ColLogitOfState[s]] =
                    visits * q[s] * (one - q[s]) * (p[s] * colCoop + (one - p[s]) * colCoopVsD);
            }
        }
    }

}
