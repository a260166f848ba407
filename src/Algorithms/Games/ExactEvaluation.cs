namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// What <see cref="ExactValueKernel"/> computed for a batch: per player (index 0 = row, 1 = col) the discounted
/// return [B], its gradient w.r.t. the row policy and the col policy ([B, d] row-major), and with tangents the
/// directional derivatives of those gradients. Stored as the kernel wrote them (structure of arrays) and turned
/// into row-major arrays only when asked for.
/// </summary>
public sealed class ExactEvaluation
{
    private readonly SoaLayout _layout;

    internal ExactEvaluation(SoaLayout layout, bool dual)
    {
        _layout = layout;
        int size = layout.Dim * layout.Padded;
        ValuesSoa = [Uninitialised(layout.Padded), Uninitialised(layout.Padded)];
        GradRowSoa = [Uninitialised(size), Uninitialised(size)];
        GradColSoa = [Uninitialised(size), Uninitialised(size)];
        if (dual)
        {
            TangentGradRowSoa = [Uninitialised(size), Uninitialised(size)];
            TangentGradColSoa = [Uninitialised(size), Uninitialised(size)];
        }
    }

    /// <summary>The kernel writes every element of these arrays (every padded game, every logit), so they are not
    /// zeroed first: zeroing the 720 KB of a 4,096-game evaluation was an eighth of its time (perf: memset 12.8 %).</summary>
    private static float[] Uninitialised(int length) => GC.AllocateUninitializedArray<float>(length);

    internal float[][] ValuesSoa { get; }
    internal float[][] GradRowSoa { get; }
    internal float[][] GradColSoa { get; }
    internal float[][]? TangentGradRowSoa { get; }
    internal float[][]? TangentGradColSoa { get; }

    public int Batch => _layout.Batch;
    public int Dim => _layout.Dim;
    public bool IsDual => TangentGradRowSoa is not null;

    /// <summary>Discounted return [B] of <paramref name="player"/>.</summary>
    public float[] Value(Seat player) => ValuesSoa[(int)player][..Batch];

    /// <summary>Gradient [B, d] of <paramref name="player"/>'s return w.r.t. the policy of <paramref name="wrt"/>.</summary>
    public float[] Gradient(Seat player, Seat wrt) =>
        _layout.ToRowMajor((wrt == Seat.Row ? GradRowSoa : GradColSoa)[(int)player]);

    /// <summary>Directional derivative [B, d] of that gradient along the tangents the evaluation was given.</summary>
    public float[] TangentOfGradient(Seat player, Seat wrt) =>
        _layout.ToRowMajor((wrt == Seat.Row ? TangentGradRowSoa : TangentGradColSoa)?[(int)player]
            ?? throw new InvalidOperationException("this evaluation carried no tangents"));
}
