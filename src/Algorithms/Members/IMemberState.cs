using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// One member's parameters and whatever else it carries from match to match (M-FOS: its actor-critic and Adam
/// state). It makes a player for each match, learns from the player once the match is over, and saves itself as
/// bytes (what a learner snapshot and a training checkpoint hold). Not thread-safe: one owner at a time, and every
/// call on the thread that does the owner's tensor work.
/// </summary>
public interface IMemberState : IDisposable
{
    /// <summary>A player of this member for one match. It may read the state but never changes it (only
    /// <see cref="Learn"/> does), so a match abandoned halfway leaves the member as it was. Dispose it before the state.</summary>
    IMatchPlayer NewPlayer(PlayerRequest request);

    /// <summary>Learns from <paramref name="finished"/>, a player this state made whose match is over.</summary>
    /// <exception cref="ArithmeticException">learning made the parameters NaN or infinite (the state is then
    /// unusable; the owner loads its last good bytes back).</exception>
    LearnReport Learn(IMatchPlayer finished);

    /// <summary>The state as bytes (empty for kinds that keep nothing).</summary>
    byte[] Save();

    /// <exception cref="InvalidDataException">the bytes are not a state of this kind and shape.</exception>
    void Load(byte[] state);
}
