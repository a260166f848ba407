using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// The two small matrix products of a fused network kernel, on samples laid out as structure of arrays: a "batch"
/// [rows][blocks] holds, for each row (a feature), <c>blocks</c> SIMD vectors of consecutive samples, element
/// (r, b) at index r·blocks + b. Written as register-blocked micro-kernels that fit AVX2's 16 registers: a tall
/// product (many rows, a short sum: a hidden layer from the inputs) takes 2 rows × 4 blocks (eight accumulators,
/// six loads per eight multiply-adds); a wide one (few rows, a long sum over the hidden layer) takes 5 rows × 2
/// blocks (ten accumulators, seven loads per ten), so that the hidden layer, the tile's largest operand, is read
/// twice instead of once per pair of rows. libtorch's BLAS reached only 6–35 GFLOPS on these skinny shapes on the
/// issue's machine (issue 15).
/// </summary>
public static class SoaMatrix
{
    /// <summary>output[r][b] ← epilogue(bias[r] + Σ_q matrix[r, q] · input[q][b]) for r &lt; rows, b &lt; blocks;
    /// matrix is [rows, inner] row-major, bias empty for none, blocks a multiple of 4.</summary>
    public static void Multiply<TEpilogue>(ReadOnlySpan<float> matrix, ReadOnlySpan<float> bias, ReadOnlySpan<Vector<float>> input,
        Span<Vector<float>> output, int rows, int inner, int blocks) where TEpilogue : ISoaEpilogue
    {
        if (matrix.Length < rows * inner || (!bias.IsEmpty && bias.Length < rows) || input.Length < inner * blocks
            || output.Length < rows * blocks || blocks % 4 != 0)
            throw new ArgumentException("SoaMatrix.Multiply: operand sizes do not match");
        ref float m = ref MemoryMarshal.GetReference(matrix);
        ref Vector<float> x = ref MemoryMarshal.GetReference(input);
        ref Vector<float> y = ref MemoryMarshal.GetReference(output);
        int r = 0;
        if (inner > rows)
        {
            MultiplyWide<TEpilogue>(ref m, bias, ref x, ref y, rows, inner, blocks);
            return;
        }
        for (; r + 2 <= rows; r += 2)
        {
            var bias0 = new Vector<float>(bias.IsEmpty ? 0 : bias[r]);
            var bias1 = new Vector<float>(bias.IsEmpty ? 0 : bias[r + 1]);
            ref float m0 = ref Unsafe.Add(ref m, r * inner);
            ref float m1 = ref Unsafe.Add(ref m, (r + 1) * inner);
            for (int b = 0; b < blocks; b += 4)
            {
                Vector<float> a00 = bias0, a01 = bias0, a02 = bias0, a03 = bias0;
                Vector<float> a10 = bias1, a11 = bias1, a12 = bias1, a13 = bias1;
                ref Vector<float> column = ref Unsafe.Add(ref x, b);
                for (int q = 0; q < inner; q++)
                {
                    ref Vector<float> xq = ref Unsafe.Add(ref column, q * blocks);
                    var x0 = xq; var x1 = Unsafe.Add(ref xq, 1); var x2 = Unsafe.Add(ref xq, 2); var x3 = Unsafe.Add(ref xq, 3);
                    var w0 = new Vector<float>(Unsafe.Add(ref m0, q));
                    var w1 = new Vector<float>(Unsafe.Add(ref m1, q));
                    a00 = Vector.MultiplyAddEstimate(w0, x0, a00); a01 = Vector.MultiplyAddEstimate(w0, x1, a01);
                    a02 = Vector.MultiplyAddEstimate(w0, x2, a02); a03 = Vector.MultiplyAddEstimate(w0, x3, a03);
                    a10 = Vector.MultiplyAddEstimate(w1, x0, a10); a11 = Vector.MultiplyAddEstimate(w1, x1, a11);
                    a12 = Vector.MultiplyAddEstimate(w1, x2, a12); a13 = Vector.MultiplyAddEstimate(w1, x3, a13);
                }
                ref Vector<float> y0 = ref Unsafe.Add(ref y, r * blocks + b);
                ref Vector<float> y1 = ref Unsafe.Add(ref y, (r + 1) * blocks + b);
                TEpilogue.Apply(a00, ref y0); TEpilogue.Apply(a01, ref Unsafe.Add(ref y0, 1));
                TEpilogue.Apply(a02, ref Unsafe.Add(ref y0, 2)); TEpilogue.Apply(a03, ref Unsafe.Add(ref y0, 3));
                TEpilogue.Apply(a10, ref y1); TEpilogue.Apply(a11, ref Unsafe.Add(ref y1, 1));
                TEpilogue.Apply(a12, ref Unsafe.Add(ref y1, 2)); TEpilogue.Apply(a13, ref Unsafe.Add(ref y1, 3));
            }
        }
        for (; r < rows; r++)
        {
            var bias0 = new Vector<float>(bias.IsEmpty ? 0 : bias[r]);
            ref float m0 = ref Unsafe.Add(ref m, r * inner);
            for (int b = 0; b < blocks; b += 4)
            {
                Vector<float> a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
                ref Vector<float> column = ref Unsafe.Add(ref x, b);
                for (int q = 0; q < inner; q++)
                {
                    ref Vector<float> xq = ref Unsafe.Add(ref column, q * blocks);
                    var w0 = new Vector<float>(Unsafe.Add(ref m0, q));
                    a0 = Vector.MultiplyAddEstimate(w0, xq, a0); a1 = Vector.MultiplyAddEstimate(w0, Unsafe.Add(ref xq, 1), a1);
                    a2 = Vector.MultiplyAddEstimate(w0, Unsafe.Add(ref xq, 2), a2); a3 = Vector.MultiplyAddEstimate(w0, Unsafe.Add(ref xq, 3), a3);
                }
                ref Vector<float> y0 = ref Unsafe.Add(ref y, r * blocks + b);
                TEpilogue.Apply(a0, ref y0); TEpilogue.Apply(a1, ref Unsafe.Add(ref y0, 1));
                TEpilogue.Apply(a2, ref Unsafe.Add(ref y0, 2)); TEpilogue.Apply(a3, ref Unsafe.Add(ref y0, 3));
            }
        }
    }

    /// <summary><see cref="Multiply{TEpilogue}"/> for few rows and a long sum: 5 rows × 2 blocks at a time.</summary>
    private static void MultiplyWide<TEpilogue>(ref float m, ReadOnlySpan<float> bias, ref Vector<float> x, ref Vector<float> y,
        int rows, int inner, int blocks) where TEpilogue : ISoaEpilogue
    {
        int r = 0;
        for (; r + 5 <= rows; r += 5)
        {
            ref float m0 = ref Unsafe.Add(ref m, r * inner);
            ref float m1 = ref Unsafe.Add(ref m0, inner);
            ref float m2 = ref Unsafe.Add(ref m1, inner);
            ref float m3 = ref Unsafe.Add(ref m2, inner);
            ref float m4 = ref Unsafe.Add(ref m3, inner);
            for (int b = 0; b < blocks; b += 2)
            {
                Vector<float> a00 = Bias(bias, r), a10 = Bias(bias, r + 1), a20 = Bias(bias, r + 2), a30 = Bias(bias, r + 3), a40 = Bias(bias, r + 4);
                Vector<float> a01 = a00, a11 = a10, a21 = a20, a31 = a30, a41 = a40;
                ref Vector<float> column = ref Unsafe.Add(ref x, b);
                for (int q = 0; q < inner; q++)
                {
                    ref Vector<float> xq = ref Unsafe.Add(ref column, q * blocks);
                    var x0 = xq;
                    var x1 = Unsafe.Add(ref xq, 1);
                    var w = new Vector<float>(Unsafe.Add(ref m0, q));
                    a00 = Vector.MultiplyAddEstimate(w, x0, a00); a01 = Vector.MultiplyAddEstimate(w, x1, a01);
                    w = new Vector<float>(Unsafe.Add(ref m1, q));
                    a10 = Vector.MultiplyAddEstimate(w, x0, a10); a11 = Vector.MultiplyAddEstimate(w, x1, a11);
                    w = new Vector<float>(Unsafe.Add(ref m2, q));
                    a20 = Vector.MultiplyAddEstimate(w, x0, a20); a21 = Vector.MultiplyAddEstimate(w, x1, a21);
                    w = new Vector<float>(Unsafe.Add(ref m3, q));
                    a30 = Vector.MultiplyAddEstimate(w, x0, a30); a31 = Vector.MultiplyAddEstimate(w, x1, a31);
                    w = new Vector<float>(Unsafe.Add(ref m4, q));
                    a40 = Vector.MultiplyAddEstimate(w, x0, a40); a41 = Vector.MultiplyAddEstimate(w, x1, a41);
                }
                ref Vector<float> y0 = ref Unsafe.Add(ref y, r * blocks + b);
                TEpilogue.Apply(a00, ref y0); TEpilogue.Apply(a01, ref Unsafe.Add(ref y0, 1));
                ref Vector<float> y1 = ref Unsafe.Add(ref y0, blocks);
                TEpilogue.Apply(a10, ref y1); TEpilogue.Apply(a11, ref Unsafe.Add(ref y1, 1));
                ref Vector<float> y2 = ref Unsafe.Add(ref y1, blocks);
                TEpilogue.Apply(a20, ref y2); TEpilogue.Apply(a21, ref Unsafe.Add(ref y2, 1));
                ref Vector<float> y3 = ref Unsafe.Add(ref y2, blocks);
                TEpilogue.Apply(a30, ref y3); TEpilogue.Apply(a31, ref Unsafe.Add(ref y3, 1));
                ref Vector<float> y4 = ref Unsafe.Add(ref y3, blocks);
                TEpilogue.Apply(a40, ref y4); TEpilogue.Apply(a41, ref Unsafe.Add(ref y4, 1));
            }
        }
        for (; r < rows; r++)
        {
            ref float m0 = ref Unsafe.Add(ref m, r * inner);
            for (int b = 0; b < blocks; b += 2)
            {
                Vector<float> a0 = Bias(bias, r), a1 = a0;
                ref Vector<float> column = ref Unsafe.Add(ref x, b);
                for (int q = 0; q < inner; q++)
                {
                    ref Vector<float> xq = ref Unsafe.Add(ref column, q * blocks);
                    var w = new Vector<float>(Unsafe.Add(ref m0, q));
                    a0 = Vector.MultiplyAddEstimate(w, xq, a0);
                    a1 = Vector.MultiplyAddEstimate(w, Unsafe.Add(ref xq, 1), a1);
                }
                ref Vector<float> y0 = ref Unsafe.Add(ref y, r * blocks + b);
                TEpilogue.Apply(a0, ref y0); TEpilogue.Apply(a1, ref Unsafe.Add(ref y0, 1));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Bias(ReadOnlySpan<float> bias, int row) => bias.IsEmpty ? Vector<float>.Zero : new Vector<float>(bias[row]);

    /// <summary>sums[r, q] += Σ_b left[r][b] · right[q][b] for r &lt; rows, q &lt; columns: a weight gradient summed over
    /// the samples of each lane (the lanes are added up once, by the caller, at the end). Rows are the short side
    /// (inputs, outputs, a bias's ones): 5 rows × 2 columns at a time, so the long operand is read once per 5 rows.</summary>
    public static void AccumulateOuter(ReadOnlySpan<Vector<float>> left, ReadOnlySpan<Vector<float>> right, Span<Vector<float>> sums,
        int rows, int columns, int blocks)
    {
        if (left.Length < rows * blocks || right.Length < columns * blocks || sums.Length < rows * columns)
            throw new ArgumentException("SoaMatrix.AccumulateOuter: operand sizes do not match");
        ref Vector<float> l = ref MemoryMarshal.GetReference(left);
        ref Vector<float> rt = ref MemoryMarshal.GetReference(right);
        ref Vector<float> s = ref MemoryMarshal.GetReference(sums);
        int r = 0;
        for (; r + 5 <= rows; r += 5)
        {
            ref Vector<float> l0 = ref Unsafe.Add(ref l, r * blocks);
            ref Vector<float> l1 = ref Unsafe.Add(ref l0, blocks);
            ref Vector<float> l2 = ref Unsafe.Add(ref l1, blocks);
            ref Vector<float> l3 = ref Unsafe.Add(ref l2, blocks);
            ref Vector<float> l4 = ref Unsafe.Add(ref l3, blocks);
            int q = 0;
            for (; q + 2 <= columns; q += 2)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                ref Vector<float> s1 = ref Unsafe.Add(ref s0, columns);
                ref Vector<float> s2 = ref Unsafe.Add(ref s1, columns);
                ref Vector<float> s3 = ref Unsafe.Add(ref s2, columns);
                ref Vector<float> s4 = ref Unsafe.Add(ref s3, columns);
                Vector<float> a00 = s0, a01 = Unsafe.Add(ref s0, 1), a10 = s1, a11 = Unsafe.Add(ref s1, 1), a20 = s2, a21 = Unsafe.Add(ref s2, 1);
                Vector<float> a30 = s3, a31 = Unsafe.Add(ref s3, 1), a40 = s4, a41 = Unsafe.Add(ref s4, 1);
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                ref Vector<float> q1 = ref Unsafe.Add(ref q0, blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var v0 = Unsafe.Add(ref q0, b);
                    var v1 = Unsafe.Add(ref q1, b);
                    var u = Unsafe.Add(ref l0, b);
                    a00 = Vector.MultiplyAddEstimate(u, v0, a00); a01 = Vector.MultiplyAddEstimate(u, v1, a01);
                    u = Unsafe.Add(ref l1, b);
                    a10 = Vector.MultiplyAddEstimate(u, v0, a10); a11 = Vector.MultiplyAddEstimate(u, v1, a11);
                    u = Unsafe.Add(ref l2, b);
                    a20 = Vector.MultiplyAddEstimate(u, v0, a20); a21 = Vector.MultiplyAddEstimate(u, v1, a21);
                    u = Unsafe.Add(ref l3, b);
                    a30 = Vector.MultiplyAddEstimate(u, v0, a30); a31 = Vector.MultiplyAddEstimate(u, v1, a31);
                    u = Unsafe.Add(ref l4, b);
                    a40 = Vector.MultiplyAddEstimate(u, v0, a40); a41 = Vector.MultiplyAddEstimate(u, v1, a41);
                }
                s0 = a00; Unsafe.Add(ref s0, 1) = a01; s1 = a10; Unsafe.Add(ref s1, 1) = a11; s2 = a20; Unsafe.Add(ref s2, 1) = a21;
                s3 = a30; Unsafe.Add(ref s3, 1) = a31; s4 = a40; Unsafe.Add(ref s4, 1) = a41;
            }
            for (int i = 0; i < 5 && q < columns; i++) AccumulateOne(ref Unsafe.Add(ref l0, i * blocks), ref Unsafe.Add(ref rt, q * blocks),
                ref Unsafe.Add(ref s, (r + i) * columns + q), blocks);
        }
        for (; r < rows; r++)
        {
            ref Vector<float> l0 = ref Unsafe.Add(ref l, r * blocks);
            int q = 0;
            for (; q + 2 <= columns; q += 2)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                Vector<float> a0 = s0, a1 = Unsafe.Add(ref s0, 1);
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                ref Vector<float> q1 = ref Unsafe.Add(ref q0, blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var u = Unsafe.Add(ref l0, b);
                    a0 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q0, b), a0);
                    a1 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q1, b), a1);
                }
                s0 = a0; Unsafe.Add(ref s0, 1) = a1;
            }
            if (q < columns) AccumulateOne(ref l0, ref Unsafe.Add(ref rt, q * blocks), ref Unsafe.Add(ref s, r * columns + q), blocks);
        }
    }

    private static void AccumulateOne(ref Vector<float> left, ref Vector<float> right, ref Vector<float> sum, int blocks)
    {
        var a = sum;
        for (int b = 0; b < blocks; b++) a = Vector.MultiplyAddEstimate(Unsafe.Add(ref left, b), Unsafe.Add(ref right, b), a);
        sum = a;
    }
}
