namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// Every knob of the inner learners, with the reference implementation's defaults (mfos.md §2). Each learner reads
/// the ones it needs; the HOCON loader rejects keys a learner does not have.
/// </summary>
public sealed record LearnerSettings
{
    /// <summary>Step size of the learner's own update (the reference uses 1 for NL, LOLA and M-MAML).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>The opponent's step size the learner assumes in its look-ahead (LOLA's η; 1 in the reference).</summary>
    public double LookaheadRate { get; init; } = 1.0;

    /// <summary>Number of simulated opponent steps LOLA-DiCE differentiates through.</summary>
    public int LookaheadSteps { get; init; } = 1;

    /// <summary>Roll-outs per game for the sampled (policy-gradient) learners.</summary>
    public int Rollouts { get; init; } = 8;

    /// <summary>Length of each roll-out (truncated horizon; γ^L of the discounted weight is cut off).</summary>
    public int RolloutLength { get; init; } = 50;

    /// <summary>Variance reduction of LOLA-DiCE's objectives (see <see cref="DiceBaseline"/>).</summary>
    public DiceBaseline Baseline { get; init; } = DiceBaseline.Mean;

    /// <summary>Replace the opponent's true parameters by a maximum-likelihood fit of its observed actions.</summary>
    public bool OpponentModel { get; init; }

    /// <summary>Pseudo-count added to each action when fitting the opponent model (keeps unseen states finite).</summary>
    public double OpponentModelPrior { get; init; } = 0.5;

    /// <summary>Where each game starts when <see cref="InitialLogits"/> is empty (`play --init`).</summary>
    public StartDistribution Start { get; init; } = StartDistribution.Normal;

    /// <summary>Fixed initial logits for every game (M-MAML's init); empty draws from <see cref="Start"/> per game.</summary>
    public float[] InitialLogits { get; init; } = [];
}
