using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Algorithms.Training;

/// <summary>
/// One training run of a member kind that learns across matches (`shaping train`): one member against a fresh
/// inner learner every episode (<see cref="Opponent"/>); two members in self-play with λ annealed
/// (<see cref="SelfPlay"/>; with probability λ each plays its own episode against fresh naive learners, otherwise
/// they play each other); or one member against itself (<see cref="Mirror"/>; with probability λ against a fresh
/// <see cref="Opponent"/>, otherwise at both seats of one match, learning from both). Defaults are the M-FOS
/// reference's: 1024 episodes of 100 meta-steps on 4096 games.
/// </summary>
public sealed record Experiment
{
    public string Name { get; init; } = "mfos";
    public string Game { get; init; } = "ipd";
    /// <summary>The member kind trained (its settings are `shaping.learners.&lt;kind&gt;`).</summary>
    public string Kind { get; init; } = "mfos";
    public bool SelfPlay { get; init; }
    /// <summary>One member plays both seats (MeVa's consistency: both players use the same Û).</summary>
    public bool Mirror { get; init; }
    public string Opponent { get; init; } = "nl";
    public int Episodes { get; init; } = 1024;
    public int Batch { get; init; } = 4096;
    public int MetaSteps { get; init; } = 100;
    public int CheckpointEvery { get; init; } = 50;
    public long Seed { get; init; } = 1;
    public LambdaSchedule Lambda { get; init; } = new();

    /// <summary>Members trained: two in self-play, one otherwise (a mirror member plays itself).</summary>
    public int Members => SelfPlay ? 2 : 1;

    public Experiment Validated()
    {
        if (Episodes < 1 || Batch < 1 || MetaSteps < 1 || CheckpointEvery < 1)
            throw new ArgumentException($"experiment '{Name}': episodes, batch, meta-steps and checkpoint-every must be ≥ 1");
        if (SelfPlay && Mirror) throw new ArgumentException($"experiment '{Name}': self-play and mirror are two different modes");
        return this;
    }
}
