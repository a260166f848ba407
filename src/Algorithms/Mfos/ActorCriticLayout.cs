namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// Where each of the actor-critic's parameters sits in one flat float array, in libtorch's layout (a Linear's
/// weight is [out, in] row-major): actor in-weight [h, 2d] and bias [h], actor out-weight [2d, h] and bias [2d],
/// critic in-weight [h, 2d] and bias [h], critic out-weight [1, h] and bias [1].
/// </summary>
public readonly record struct ActorCriticLayout
{
    public ActorCriticLayout(int policySize, int hidden)
    {
        if (policySize < 1 || hidden < 1) throw new ArgumentOutOfRangeException(nameof(policySize), "sizes must be positive");
        PolicySize = policySize;
        Hidden = hidden;
    }

    public int PolicySize { get; }
    public int Hidden { get; }
    public int Inputs => 2 * PolicySize;

    public int ActorInWeight => 0;
    public int ActorInBias => Hidden * Inputs;
    public int ActorOutWeight => ActorInBias + Hidden;
    public int ActorOutBias => ActorOutWeight + Inputs * Hidden;
    public int CriticInWeight => ActorOutBias + Inputs;
    public int CriticInBias => CriticInWeight + Hidden * Inputs;
    public int CriticOutWeight => CriticInBias + Hidden;
    public int CriticOutBias => CriticOutWeight + Hidden;
    public int Length => CriticOutBias + 1;

    /// <summary>Every piece's offset and libtorch shape, in the order above.</summary>
    public IEnumerable<(int Offset, long[] Shape)> Pieces()
    {
        long h = Hidden, n = Inputs;
        yield return (ActorInWeight, [h, n]);
        yield return (ActorInBias, [h]);
        yield return (ActorOutWeight, [n, h]);
        yield return (ActorOutBias, [n]);
        yield return (CriticInWeight, [h, n]);
        yield return (CriticInBias, [h]);
        yield return (CriticOutWeight, [1, h]);
        yield return (CriticOutBias, [1]);
    }
}
