namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// One M-FOS training run: either M-FOS against fresh inner learners every episode (<see cref="Opponent"/> set),
/// or two M-FOS agents in self-play with λ annealed (<see cref="SelfPlay"/>). Defaults are the reference's:
/// 1024 episodes of 100 meta-steps on 4096 games.
/// </summary>
public sealed record MfosExperiment
{
    public string Name { get; init; } = "mfos";
    public string Game { get; init; } = "ipd";
    public bool SelfPlay { get; init; }
    public string Opponent { get; init; } = "nl";
    public int Episodes { get; init; } = 1024;
    public int Batch { get; init; } = 4096;
    public int MetaSteps { get; init; } = 100;
    public int CheckpointEvery { get; init; } = 50;
    public long Seed { get; init; } = 1;
    public PpoSettings Ppo { get; init; } = new();
    public LambdaSchedule Lambda { get; init; } = new();

    public MfosExperiment Validated()
    {
        if (Episodes < 1 || Batch < 1 || MetaSteps < 1 || CheckpointEvery < 1)
            throw new ArgumentException($"experiment '{Name}': episodes, batch, meta-steps and checkpoint-every must be ≥ 1");
        Ppo.Validated();
        return this;
    }
}
