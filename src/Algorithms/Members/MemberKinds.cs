using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Meva;
using ShapingCluster.Algorithms.Mfos;

namespace ShapingCluster.Algorithms.Members;

/// <summary>Every member kind by name: the kinds that learn across matches, one line each, and every inner learner
/// of <see cref="LearnerCatalog"/> as the trivial kind.</summary>
public static class MemberKinds
{
    private static readonly IMemberKind[] LearningKinds = [new MfosKind(), new MevaKind()];

    private static readonly Dictionary<string, IMemberKind> All = LearnerCatalog.Names.Select(n => (IMemberKind)new InnerLearnerKind(n))
        .Concat(LearningKinds)
        .ToDictionary(k => k.Name);

    public static IReadOnlyCollection<string> Names => All.Keys;

    /// <summary>The kinds whose members learn across matches (their settings are not inner-learner settings).</summary>
    public static IEnumerable<string> LearningKindNames => LearningKinds.Select(k => k.Name);

    public static bool IsKnown(string name) => All.ContainsKey(name);

    public static IMemberKind Get(string name) =>
        All.TryGetValue(name, out var kind)
            ? kind
            : throw new ArgumentException($"unknown member kind '{name}'; known: {string.Join(", ", Names)}");
}
