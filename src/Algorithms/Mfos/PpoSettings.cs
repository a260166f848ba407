using ShapingCluster.Algorithms.Members;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// The M-FOS meta-learner's PPO settings, defaults from the reference (mfos.md §3): Adam 2e-3 (2e-4 in self-play),
/// 4 full-batch epochs, clip 0.2, meta-discount 0.99, entropy 0.01, value 0.5, hidden width 256.
/// <see cref="ChunkSize"/> bounds memory: each epoch's full-batch gradient is accumulated over chunks of samples,
/// which gives the same gradient as one pass over the whole batch.
/// </summary>
public sealed record PpoSettings
{
    public double LearningRate { get; init; } = 0.002;
    public int Epochs { get; init; } = 4;
    public double Clip { get; init; } = 0.2;
    public double Discount { get; init; } = 0.99;
    public double EntropyCoefficient { get; init; } = 0.01;
    public double ValueCoefficient { get; init; } = 0.5;
    public int Hidden { get; init; } = 256;
    public int ChunkSize { get; init; } = 4096;

    /// <summary>The `ppo` block of M-FOS's settings section.</summary>
    public static PpoSettings Read(ISettingsSection ppo)
    {
        var settings = new PpoSettings
        {
            LearningRate = ppo.Number("learning-rate"),
            Epochs = ppo.Integer("epochs"),
            Clip = ppo.Number("clip"),
            Discount = ppo.Number("discount"),
            EntropyCoefficient = ppo.Number("entropy"),
            ValueCoefficient = ppo.Number("value-coefficient"),
            Hidden = ppo.Integer("hidden"),
            ChunkSize = ppo.Integer("chunk"),
        };
        try { return settings.Validated(); }
        catch (ArgumentException e) { throw new ArgumentException($"{ppo.Path}: {e.Message}"); }
    }

    public PpoSettings Validated()
    {
        if (!(LearningRate > 0) || Epochs < 1 || !(Clip > 0) || !(Discount > 0 && Discount <= 1) || Hidden < 1 || ChunkSize < 1)
            throw new ArgumentException("learning-rate, epochs, clip, hidden and chunk must be positive and discount in (0, 1]");
        return this;
    }
}
