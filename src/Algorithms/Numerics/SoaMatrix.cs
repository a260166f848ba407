using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// The two small matrix products of a fused network kernel, on samples laid out as structure of arrays: a "batch"
/// [rows][blocks] holds, for each row (a feature), <c>blocks</c> SIMD vectors of consecutive samples, element
/// (r, b) at index r·blocks + b. Written as register-blocked micro-kernels (2 rows × 4 blocks, eight accumulators:
/// six loads feed eight multiply-adds), which keeps them arithmetic-bound on AVX2's 16 registers; libtorch's
/// BLAS reached only 6–35 GFLOPS on these skinny shapes on the machine (issue 15).
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

    /// <summary>sums[r, q] += Σ_b left[r][b] · right[q][b] for r &lt; rows, q &lt; columns: a weight gradient summed over
    /// the samples of each lane (the lanes are added up once, by the caller, at the end).</summary>
    public static void AccumulateOuter(ReadOnlySpan<Vector<float>> left, ReadOnlySpan<Vector<float>> right, Span<Vector<float>> sums,
        int rows, int columns, int blocks)
    {
        if (left.Length < rows * blocks || right.Length < columns * blocks || sums.Length < rows * columns)
            throw new ArgumentException("SoaMatrix.AccumulateOuter: operand sizes do not match");
        ref Vector<float> l = ref MemoryMarshal.GetReference(left);
        ref Vector<float> rt = ref MemoryMarshal.GetReference(right);
        ref Vector<float> s = ref MemoryMarshal.GetReference(sums);
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            ref Vector<float> l0 = ref Unsafe.Add(ref l, r * blocks);
            ref Vector<float> l1 = ref Unsafe.Add(ref l, (r + 1) * blocks);
            int q = 0;
            for (; q + 4 <= columns; q += 4)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                ref Vector<float> s1 = ref Unsafe.Add(ref s, (r + 1) * columns + q);
                Vector<float> a00 = s0, a01 = Unsafe.Add(ref s0, 1), a02 = Unsafe.Add(ref s0, 2), a03 = Unsafe.Add(ref s0, 3);
                Vector<float> a10 = s1, a11 = Unsafe.Add(ref s1, 1), a12 = Unsafe.Add(ref s1, 2), a13 = Unsafe.Add(ref s1, 3);
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var u0 = Unsafe.Add(ref l0, b);
                    var u1 = Unsafe.Add(ref l1, b);
                    var v0 = Unsafe.Add(ref q0, b);
                    var v1 = Unsafe.Add(ref q0, blocks + b);
                    var v2 = Unsafe.Add(ref q0, 2 * blocks + b);
                    var v3 = Unsafe.Add(ref q0, 3 * blocks + b);
                    a00 = Vector.MultiplyAddEstimate(u0, v0, a00); a01 = Vector.MultiplyAddEstimate(u0, v1, a01);
                    a02 = Vector.MultiplyAddEstimate(u0, v2, a02); a03 = Vector.MultiplyAddEstimate(u0, v3, a03);
                    a10 = Vector.MultiplyAddEstimate(u1, v0, a10); a11 = Vector.MultiplyAddEstimate(u1, v1, a11);
                    a12 = Vector.MultiplyAddEstimate(u1, v2, a12); a13 = Vector.MultiplyAddEstimate(u1, v3, a13);
                }
                s0 = a00; Unsafe.Add(ref s0, 1) = a01; Unsafe.Add(ref s0, 2) = a02; Unsafe.Add(ref s0, 3) = a03;
                s1 = a10; Unsafe.Add(ref s1, 1) = a11; Unsafe.Add(ref s1, 2) = a12; Unsafe.Add(ref s1, 3) = a13;
            }
            for (; q < columns; q++)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                ref Vector<float> s1 = ref Unsafe.Add(ref s, (r + 1) * columns + q);
                Vector<float> a0 = s0, a1 = s1;
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var v = Unsafe.Add(ref q0, b);
                    a0 = Vector.MultiplyAddEstimate(Unsafe.Add(ref l0, b), v, a0);
                    a1 = Vector.MultiplyAddEstimate(Unsafe.Add(ref l1, b), v, a1);
                }
                s0 = a0; s1 = a1;
            }
        }
        for (; r < rows; r++)
        {
            ref Vector<float> l0 = ref Unsafe.Add(ref l, r * blocks);
            int q = 0;
            for (; q + 4 <= columns; q += 4)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                Vector<float> a0 = s0, a1 = Unsafe.Add(ref s0, 1), a2 = Unsafe.Add(ref s0, 2), a3 = Unsafe.Add(ref s0, 3);
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var u = Unsafe.Add(ref l0, b);
                    a0 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q0, b), a0);
                    a1 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q0, blocks + b), a1);
                    a2 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q0, 2 * blocks + b), a2);
                    a3 = Vector.MultiplyAddEstimate(u, Unsafe.Add(ref q0, 3 * blocks + b), a3);
                }
                s0 = a0; Unsafe.Add(ref s0, 1) = a1; Unsafe.Add(ref s0, 2) = a2; Unsafe.Add(ref s0, 3) = a3;
            }
            for (; q < columns; q++)
            {
                ref Vector<float> s0 = ref Unsafe.Add(ref s, r * columns + q);
                var a0 = s0;
                ref Vector<float> q0 = ref Unsafe.Add(ref rt, q * blocks);
                for (int b = 0; b < blocks; b++) a0 = Vector.MultiplyAddEstimate(Unsafe.Add(ref l0, b), Unsafe.Add(ref q0, b), a0);
                s0 = a0;
            }
        }
    }
}
