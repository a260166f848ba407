namespace ShapingCluster.Host.Play;

/// <summary>
/// What `play` reports of one side: the per-step mean reward over games (<see cref="Curve"/>, the referee's record),
/// and per game the mean of its last <see cref="FinalWindow"/> steps' rewards (<see cref="Finals"/>) with their mean
/// over games (<see cref="Final"/>), the figure the LOLA-DiCE paper reports (lola_dice.md: last 10 of 200 updates).
/// </summary>
public sealed record SideSummary(IReadOnlyList<double> Curve, double Final, double[] Finals)
{
    public const int FinalWindow = 10;

    /// <param name="curve">The referee's per-step means.</param>
    /// <param name="rewards">The per-game rewards of every step, as the player heard them.</param>
    public static SideSummary Of(IReadOnlyList<double> curve, IReadOnlyList<float[]> rewards)
    {
        if (rewards.Count != curve.Count)
            throw new ArgumentException($"{rewards.Count} steps of rewards for a curve of {curve.Count} steps");
        if (rewards.Count == 0) throw new ArgumentException("a match of no steps has no final reward");
        int games = rewards[0].Length;
        int window = Math.Min(FinalWindow, rewards.Count);
        var finals = new double[games];
        for (int t = rewards.Count - window; t < rewards.Count; t++)
            for (int b = 0; b < games; b++) finals[b] += rewards[t][b];
        for (int b = 0; b < games; b++) finals[b] /= window;
        return new SideSummary(curve, finals.Average(), finals);
    }
}
