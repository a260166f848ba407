using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// λ, the probability that a self-play episode (or a member's round) is played against fresh inner learners instead
/// of another member. As in the reference, λ is lowered before each episode while it is positive: linearly by Step (1 → 0 in
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

    /// <summary>Whether draw <paramref name="index"/> (an episode, or a member's round) is played against fresh
    /// inner learners: true with probability λ(index), from a generator seeded by (seed, index, stream) alone, so
    /// every node and every restart draws the same.</summary>
    public bool PlaysFresh(long seed, int index, long stream)
    {
        var draw = new Random((int)(Seeds.Derive(seed, index, stream) & 0x7fffffff)).NextDouble();
        return draw < At(index);
    }
}

public enum LambdaShape { Linear, Exponential }
