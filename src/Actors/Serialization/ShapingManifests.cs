using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Actors.Serialization;

/// <summary>
/// The manifest of every <see cref="IShapingMessage"/>: a short string fixed for ever, as Akka's own serializers
/// pin theirs ("AA", "BA"...), so that renaming or moving a class never breaks a journal or a mixed cluster. A new
/// message is one line here; a message without a line is refused when it is sent (naming its type), and
/// ShapingManifestsSpec fails for it. Never reuse or change a manifest that was ever released: journals hold them.
/// Codes: A = arena command, L = learner command or reply, N = node status, E = journal event.
/// </summary>
public static class ShapingManifests
{
    private static readonly (Type Type, string Manifest, string? Legacy)[] Pins =
    [
        (typeof(ArenaActor.MatchCompleted), "AC", null),
        (typeof(ArenaActor.MatchFailed), "AF", null),
        (typeof(ArenaActor.MatchStarted), "AS", null),
        (typeof(ArenaActor.LearnerActive), "AL", null),
        (typeof(ArenaActor.GetStatus), "AG", null),
        (typeof(ArenaActor.Status), "AT", null),
        (typeof(ArenaActor.GetBoard), "AB", null),
        (typeof(ArenaActor.Board), "AD", null),
        (typeof(LearnerActor.Begin), "LB", null),
        (typeof(LearnerActor.Choose), "LC", null),
        (typeof(LearnerActor.Finish), "LF", null),
        (typeof(LearnerActor.HostMatch), "LH", null),
        (typeof(LearnerActor.Chosen), "LO", null),
        (typeof(LearnerActor.Finished), "LD", null),
        (typeof(LearnerActor.Failed), "LX", null),
        (typeof(LearnerActor.ReportLocation), "LR", null),
        (typeof(LearnerActor.Stop), "LS", null),
        (typeof(LearnerActor.StoreVersion), "LV", null),
        (typeof(LearnerActor.VersionStored), "LW", null),
        (typeof(NodeStatusActor.GetNodeStatus), "NG", null),
        (typeof(NodeStatusActor.NodeStatus), "NS", null),
        (typeof(NodeStatusActor.GetNodeLoad), "NL", null),
        (typeof(NodeStatusActor.NodeLoad), "NO", null),
        (typeof(SettingsGuard.GetSettings), "NQ", null),
        (typeof(SettingsGuard.Settings), "NH", null),
        // Journal events. Journals written before manifests were pinned (up to db7a440) hold the type's name after
        // "ShapingCluster.Actors."; those names stay readable here, whatever the classes are called now.
        (typeof(RunStarted), "ER", "Arena.ArenaActor+RunStarted"),
        (typeof(MatchRecorded), "EM", "Arena.ArenaActor+MatchRecorded"),
        (typeof(MemberQuarantined), "EQ", "Arena.ArenaActor+MemberQuarantined"),
        (typeof(MatchVoided), "EV", "Arena.ArenaActor+MatchVoided"),
        (typeof(RoundStarted), "EB", null),
        (typeof(RoundRated), "EG", null),
        (typeof(FrozenVersionActor.Stored), "EF", null),
        (typeof(LearnerActor.LearnedFrom), "EL", "Learners.LearnerActor+LearnedFrom"),
        (typeof(LearnerActor.QuarantinedFor), "EU", "Learners.LearnerActor+QuarantinedFor"),
    ];

    private static readonly Dictionary<Type, string> ByType = Index(Pins.Select(p => (p.Type, p.Manifest)), "type");

    private static readonly Dictionary<string, Type> ByManifest = Index(
        Pins.Select(p => (p.Manifest, p.Type)).Concat(Pins.Where(p => p.Legacy is not null).Select(p => (p.Legacy!, p.Type))), "manifest");

    /// <summary>Every pinned message type.</summary>
    public static IReadOnlyCollection<Type> Types => ByType.Keys;

    /// <summary>The pinned manifest of <paramref name="type"/>, or null if it has none.</summary>
    public static string? Of(Type type) => ByType.GetValueOrDefault(type);

    /// <summary>The message type a manifest (pinned, or a journal's legacy type name) stands for, or null.</summary>
    public static Type? TypeOf(string manifest) => ByManifest.GetValueOrDefault(manifest);

    private static Dictionary<TKey, Type2> Index<TKey, Type2>(IEnumerable<(TKey Key, Type2 Value)> pairs, string what) where TKey : notnull
    {
        var index = new Dictionary<TKey, Type2>();
        foreach (var (key, value) in pairs)
            if (!index.TryAdd(key, value))
                throw new InvalidOperationException($"ShapingManifests pins {what} '{key}' twice ({index[key]} and {value})");
        return index;
    }
}
