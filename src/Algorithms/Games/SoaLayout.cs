namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Structure-of-arrays layout ([d][padded]) of a [B, d] row-major batch, so that SIMD loads take consecutive
/// games; padded to a whole number of lanes (padding games have logits 0 and are never read back).
/// </summary>
public readonly record struct SoaLayout(int Dim, int Batch, int Padded)
{
    public float[] ToSoa(ReadOnlySpan<float> source)
    {
        // Every element is written (the padding games' logits as zeros), so the array is not zeroed first.
        var target = GC.AllocateUninitializedArray<float>(Dim * Padded);
        for (int k = 0; k < Dim; k++) target.AsSpan(k * Padded + Batch, Padded - Batch).Clear();
        for (int b = 0; b < Batch; b++)
            for (int k = 0; k < Dim; k++)
                target[k * Padded + b] = source[b * Dim + k];
        return target;
    }

    public float[] ToRowMajor(float[] soa)
    {
        var target = GC.AllocateUninitializedArray<float>(Batch * Dim);
        for (int k = 0; k < Dim; k++)
            for (int b = 0; b < Batch; b++)
                target[b * Dim + k] = soa[k * Padded + b];
        return target;
    }
}
