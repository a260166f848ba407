namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// The name of a frozen past version of a member: "mfos-3@1200" is member mfos-3's state after its 1,200th learned
/// match. A member freezes a version every <see cref="PopulationSettings.FreezeEvery"/> learned matches (league
/// pairing only); the league keeps the newest <see cref="PopulationSettings.KeepVersions"/> of each member in its pool.
/// </summary>
public static class FrozenVersion
{
    public static string Name(string member, int matches) => $"{member}@{matches}";

    /// <summary>The member and match count of a version name; false for a plain member id.</summary>
    public static bool TryParse(string name, out string member, out int matches)
    {
        int at = name.LastIndexOf('@');
        member = at > 0 ? name[..at] : name;
        matches = 0;
        return at > 0 && int.TryParse(name.AsSpan(at + 1), System.Globalization.NumberStyles.None, null, out matches) && matches > 0;
    }

    /// <summary>The versions in the pool of a member that has learned from <paramref name="learned"/> matches.</summary>
    public static IEnumerable<string> Pool(string member, int learned, int freezeEvery, int keep)
    {
        int newest = learned / freezeEvery;
        for (int k = Math.Max(1, newest - keep + 1); k <= newest; k++) yield return Name(member, k * freezeEvery);
    }
}
