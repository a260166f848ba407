namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// The variance reduction inside a DiCE objective. Every option leaves the expectation of the objective and of all
/// its derivatives unchanged; they differ only in variance (tests/…/DiceEstimatorTests measure both).
/// </summary>
public enum DiceBaseline
{
    /// <summary>Plain DiCE: Σ_t γ^t r_t ▣(S_t), S_t the sum of both players' log-probabilities up to t.</summary>
    None,

    /// <summary>
    /// Each step's reward centred by the mean of the same step in the game's other roll-outs:
    /// Σ_t (γ^t r_t − mean_{j≠i} γ^t r_t^j) ▣(S_t). This is what the official LOLA-DiCE code runs with
    /// use_baseline = False (it centres by the batch mean including the roll-out itself, which scales every derivative
    /// by 1 − 1/R; leaving the roll-out out makes it exactly unbiased).
    /// </summary>
    Mean,

    /// <summary>
    /// Mao et al. (2019): Σ_t γ^t r_t ▣(S_t) + Σ_t b_t (▣(S_{t−1}) − ▣(S_t)) with b_t = γ^t V(s_t), a state-value
    /// baseline fitted by least squares to the returns-to-go of the game's other roll-outs. The baseline term has zero
    /// expectation for every derivative order; under differentiation it turns the weights of the higher-order terms
    /// from rewards into temporal-difference residuals.
    /// </summary>
    Value,
}
