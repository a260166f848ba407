using System.Security.Cryptography;
using System.Text;

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

    public byte[] ToBytes()
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
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
        }
        var bytes = body.ToArray();
        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(SHA256.HashData(bytes));
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
        return output.ToArray();
    }

    /// <exception cref="InvalidDataException">the bytes are not an intact checkpoint of this format.</exception>
    public static MemberCheckpoint FromBytes(byte[] data)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException("not a ShapingCluster checkpoint");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"checkpoint format {version}, this build reads {Version}");
            var hash = reader.ReadBytes(32);
            var bytes = reader.ReadBytes(Length(reader, 1));
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(hash)) throw new InvalidDataException("checksum mismatch");
            using var body = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            string kind = body.ReadString(), label = body.ReadString();
            long progress = body.ReadInt64();
            var recent = new string[Length(body, 1)];
            for (int i = 0; i < recent.Length; i++) recent[i] = body.ReadString();
            var states = new byte[Length(body, 4)][];
            for (int i = 0; i < states.Length; i++) states[i] = body.ReadBytes(Length(body, 1));
            if (body.BaseStream.Position != body.BaseStream.Length) throw new InvalidDataException("trailing bytes");
            return new MemberCheckpoint(kind, label, progress, recent, states);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"truncated or malformed ({e.Message})");
        }
    }

    /// <summary>A count or length read from the data: never negative, never more items than bytes are left.</summary>
    private static int Length(BinaryReader reader, int bytesPerItem)
    {
        int length = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (length < 0 || (long)length * bytesPerItem > left)
            throw new InvalidDataException($"a length of {length} does not fit the {left} bytes left");
        return length;
    }

    /// <summary>The one state of a single-member checkpoint (a learner's snapshot).</summary>
    public byte[] SingleState() =>
        States.Count == 1 ? States[0] : throw new InvalidDataException($"expected one member's state, the checkpoint holds {States.Count}");
}
