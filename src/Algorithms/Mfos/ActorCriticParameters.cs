namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// The actor-critic's parameters, or their gradients, as one flat float array laid out by
/// <see cref="ActorCriticLayout"/>: one array, so gradients of independent chunks add up with one loop.
/// </summary>
public sealed class ActorCriticParameters(ActorCriticLayout layout)
{
    public ActorCriticLayout Layout => layout;
    public float[] Values { get; } = new float[layout.Length];

    public Span<float> ActorInWeight => Values.AsSpan(layout.ActorInWeight, layout.Hidden * layout.Inputs);
    public Span<float> ActorInBias => Values.AsSpan(layout.ActorInBias, layout.Hidden);
    public Span<float> ActorOutWeight => Values.AsSpan(layout.ActorOutWeight, layout.Inputs * layout.Hidden);
    public Span<float> ActorOutBias => Values.AsSpan(layout.ActorOutBias, layout.Inputs);
    public Span<float> CriticInWeight => Values.AsSpan(layout.CriticInWeight, layout.Hidden * layout.Inputs);
    public Span<float> CriticInBias => Values.AsSpan(layout.CriticInBias, layout.Hidden);
    public Span<float> CriticOutWeight => Values.AsSpan(layout.CriticOutWeight, layout.Hidden);
    public Span<float> CriticOutBias => Values.AsSpan(layout.CriticOutBias, 1);
}
