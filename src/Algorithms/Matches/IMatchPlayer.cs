namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// One side of a match, as the match loop sees it. Policies are batched inner policies [B, d] of logits, row-major
/// in a float array, from the player's own perspective. Every step both players choose simultaneously from the
/// previous joint policy; the pair is then valued and each player hears its per-game reward with the next request.
/// Plain arrays in and out, so the same protocol runs as method calls or as messages between nodes.
/// </summary>
public interface IMatchPlayer : IDisposable
{
    /// <summary>The player's name in results ("nl", "mfos-3", ...).</summary>
    string Name { get; }

    /// <summary>The inner policy the player starts the match with.</summary>
    float[] Begin();

    /// <summary>The next inner policy, given the opponent's previous one and this player's per-game reward [B] for
    /// the previous step (null before the first valued step).</summary>
    float[] Choose(float[] opponentPrevious, float[]? reward);

    /// <summary>The reward [B] of the last step; the match is over.</summary>
    void Finish(float[] reward);
}
