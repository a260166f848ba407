namespace ShapingCluster.Algorithms.Learners;

/// <summary>Where a learner without fixed initial logits starts each game.</summary>
public enum StartDistribution
{
    /// <summary>N(0, 1) logits per game: the M-FOS reference's start of every learner.</summary>
    Normal,

    /// <summary>Logit 0 in every state: uniform play, worth −1.5 per step in the IPD.</summary>
    Zeros,

    /// <summary>
    /// U(−1, 1) logits per game: what the official LOLA-DiCE runs started from (their stored params.npy: 250 initial
    /// logits with standard deviation 0.53 and |θ| ≤ 0.99, spread evenly over (−1, 1), as TensorFlow's default
    /// Glorot-uniform initialiser draws them for a 5 × 1 weight).
    /// </summary>
    Uniform,
}

/// <summary>The names `play --init` and `shaping.learners.&lt;learner&gt;.start` use.</summary>
public static class StartDistributions
{
    public static readonly string[] Names = ["normal", "zeros", "uniform"];

    /// <summary>"normal, zeros or uniform", for error messages.</summary>
    public static string Choices => $"{string.Join(", ", Names[..^1])} or {Names[^1]}";

    public static bool TryParse(string name, out StartDistribution start)
    {
        (bool known, start) = name switch
        {
            "normal" => (true, StartDistribution.Normal),
            "zeros" => (true, StartDistribution.Zeros),
            "uniform" => (true, StartDistribution.Uniform),
            _ => (false, StartDistribution.Normal),
        };
        return known;
    }
}
