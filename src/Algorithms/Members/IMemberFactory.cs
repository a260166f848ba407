namespace ShapingCluster.Algorithms.Members;

/// <summary>A member kind configured for one game: it creates the state of new members.</summary>
public interface IMemberFactory
{
    string Kind { get; }

    /// <summary>Whether members carry what they learn from one match into the next (see <see cref="IMemberKind"/>).</summary>
    bool LearnsAcrossMatches { get; }

    /// <summary>A new member's state; every random draw of its initialisation comes from <paramref name="seed"/>.</summary>
    IMemberState Create(ulong seed);
}
