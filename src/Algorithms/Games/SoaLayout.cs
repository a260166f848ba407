namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Structure-of-arrays layout ([d][padded]) of a [B, d] row-major batch, so that SIMD loads take consecutive
/// games; padded to a whole number of lanes (padding games have logits 0 and are never read back).
/// </summary>
public readonly record struct SoaLayout(int Dim, int Batch, int Padded)
{
    public float[] ToSoa(ReadOnlySpan<float> source)
    {
        var target = new float[Dim * Padded];
        for (int b = 0; b < Batch; b++)
            for (int k = 0; k < Dim; k++)
                target[k * Padded + b] = source[b * Dim + k];
        return target;
    }

    public float[] ToRowMajor(float[] soa)
    {
        var target = new float[Batch * Dim];
        for (int k = 0; k < Dim; k++)
            for (int b = 0; b < Batch; b++)
                target[b * Dim + k] = soa[k * Padded + b];
        return target;
    }
}
