namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// A 2x2 game as data. Payoffs are listed in the joint-state order CC, CD, DC, DD, where the first letter is the
/// row player's action and action 0 (C) is "cooperate" (or "swerve", "stag"...). Iterated games use memory-one
/// policies of five logits (start, then P(C) after CC, CD, DC, DD seen from the player's own side: own action
/// first); one-shot games use a single logit. Every probability is sigmoid(logit) = P(action 0).
/// </summary>
public sealed record MatrixGame(string Name, float[] RowPayoff, float[] ColPayoff, bool Iterated, double Discount,
    string Description = "")
{
    /// <summary>Logits per policy: 5 for memory-one iterated games, 1 for one-shot games.</summary>
    public int PolicySize => Iterated ? 5 : 1;

    /// <summary>
    /// Factor from a discounted return to the reported per-step reward: (1 − γ) for iterated games, which makes it
    /// the normalised average reward per inner step as in the reference implementation; 1 for one-shot games.
    /// </summary>
    public double RewardScale => Iterated ? 1 - Discount : 1;

    /// <summary>Throws with a message naming the game and the problem when the definition cannot be played.</summary>
    public MatrixGame Validated()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a game needs a name");
        if (RowPayoff is not { Length: 4 } || ColPayoff is not { Length: 4 })
            throw new ArgumentException($"game '{Name}': row and col payoffs need 2x2 entries");
        if (RowPayoff.Concat(ColPayoff).Any(p => !float.IsFinite(p)))
            throw new ArgumentException($"game '{Name}': payoffs must be finite numbers");
        if (Iterated && !(Discount > 0 && Discount < 1))
            throw new ArgumentException($"game '{Name}': discount must lie in (0, 1), got {Discount}");
        return this;
    }
}
