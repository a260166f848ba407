namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// A member kind's own configuration section (HOCON in practice; Algorithms does not know the format). Every read
/// throws with the full key path and what is expected when a value is missing or of the wrong type, so a kind
/// reads its settings without writing error messages of its own.
/// </summary>
public interface ISettingsSection
{
    /// <summary>The section's full path, e.g. "shaping.learners.mfos".</summary>
    string Path { get; }

    bool Has(string key);
    double Number(string key);
    int Integer(string key);
    long Long(string key);
    bool Flag(string key);
    string Text(string key);
    ISettingsSection Section(string key);
}
