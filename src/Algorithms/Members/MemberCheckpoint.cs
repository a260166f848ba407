namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// The one checkpoint format, for `shaping train` (checkpoints/episode-N.ckpt: the trained members after N
/// episodes) and for the actors (a learner's snapshot: one member after N learned matches, with the ids of the last
/// matches it learned from, so a re-run match is not learned twice). Everything after the magic and version is
/// covered by a SHA-256, and every length is checked against the bytes that are left, so a corrupt or truncated
/// checkpoint is always an <see cref="InvalidDataException"/> (its owner then falls back to an older one).
/// </summary>
public sealed record MemberCheckpoint(string Kind, string Label, long Progress, IReadOnlyList<string> Recent, IReadOnlyList<byte[]> States)
{
    private const string Magic = "SHAPINGCLUSTER-CHECKPOINT";
    private const int Version = 1;

    /// <summary>Match ids a learner remembers (a re-run older than this many matches would be learned again; the
    /// arena never re-runs a match that old).</summary>
    public const int RecentKept = 64;

    public byte[] ToBytes() => SealedEnvelope.Seal(Magic, Version, writer =>
    {
        writer.Write(Kind);
        writer.Write(Label);
        writer.Write(Progress);
        writer.Write(Recent.Count);
        foreach (var match in Recent) writer.Write(match);
        writer.Write(States.Count);
        foreach (var state in States)
        {
            writer.Write(state.Length);
            writer.Write(state);
        }
    });

    /// <exception cref="InvalidDataException">the bytes are not an intact checkpoint of this format.</exception>
    public static MemberCheckpoint FromBytes(byte[] data) => SealedEnvelope.Open(data, Magic, Version, "ShapingCluster checkpoint", body =>
    {
        string kind = body.ReadString(), label = body.ReadString();
        long progress = body.ReadInt64();
        var recent = SealedEnvelope.List(body, 1, body.ReadString);
        var states = SealedEnvelope.List(body, 4, () => body.ReadBytes(SealedEnvelope.Count(body, 1)));
        return new MemberCheckpoint(kind, label, progress, recent, states);
    });

    /// <summary>The one state of a single-member checkpoint (a learner's snapshot).</summary>
    public byte[] SingleState() =>
        States.Count == 1 ? States[0] : throw new InvalidDataException($"expected one member's state, the checkpoint holds {States.Count}");
}
