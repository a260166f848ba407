namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// λ, the probability that a self-play episode is played against fresh naive learners instead of the other M-FOS
/// agent. As in the reference, λ is lowered before each episode while it is positive: linearly by Step (1 → 0 in
/// 1/Step episodes; the reference's 0.0015 ends at −0.0005 after episode 667), or exponentially by a factor
/// (1 − Step).
/// </summary>
public sealed record LambdaSchedule(double Start = 1.0, double Step = 0.0015, LambdaShape Shape = LambdaShape.Linear)
{
    /// <summary>λ in force for episode <paramref name="episode"/> (1-based).</summary>
    public double At(int episode)
    {
        if (episode < 1) throw new ArgumentOutOfRangeException(nameof(episode));
        if (Shape == LambdaShape.Exponential) return Start * Math.Pow(1 - Step, episode);
        if (Step <= 0 || Start <= 0) return Start;
        int decrements = Math.Min(episode, (int)Math.Ceiling(Start / Step - 1e-9));
        return Start - Step * decrements;
    }
}

public enum LambdaShape { Linear, Exponential }
