namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// What one PPO update learns from, flattened over meta-steps and games: meta-states [N, 2d], actions [N, d], their
/// log-probabilities under the acting policy [N] and the normalised returns [N], row-major.
/// </summary>
public sealed record PpoSamples(float[] States, float[] Actions, float[] OldLogProbs, float[] Targets)
{
    public int Count => Targets.Length;

    public PpoSamples Checked(int policySize)
    {
        if (States.Length != Count * 2 * policySize || Actions.Length != Count * policySize || OldLogProbs.Length != Count)
            throw new ArgumentException($"PPO samples: {States.Length} state values, {Actions.Length} action values and " +
                                        $"{OldLogProbs.Length} log-probabilities do not fit {Count} samples of policy size {policySize}");
        return this;
    }
}
