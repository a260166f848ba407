namespace ShapingCluster.Algorithms.Members;

/// <summary>A member kind configured for one game: it creates the state of new members.</summary>
public interface IMemberFactory
{
    string Kind { get; }

    /// <summary>Whether members carry what they learn from one match into the next (see <see cref="IMemberKind"/>).</summary>
    bool LearnsAcrossMatches { get; }

    /// <summary>A new member's state; every random draw of its initialisation comes from <paramref name="seed"/>.</summary>
    IMemberState Create(ulong seed);

    /// <summary>About how much memory one member of this kind needs to play and learn from one match of
    /// <paramref name="batch"/> games × <paramref name="steps"/> steps (checked against the machine's before a run
    /// starts). By default a few copies of both sides' policies per game.</summary>
    long EstimateBytes(int batch, int steps, int policySize) => 16L * batch * 2 * policySize * sizeof(float);
}
