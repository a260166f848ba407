using System.Security.Cryptography;
using System.Text;

namespace ShapingCluster.Actors.Learners;

/// <summary>
/// A learner's snapshot as stored by Akka.Persistence (a byte array, so the store never has to understand it): the
/// number of matches it has learned from, the ids of the most recent ones (a match re-run after a crash is not
/// learned twice), and the M-FOS parameters with Adam state. A SHA-256 over the contents detects a corrupt or
/// truncated snapshot, which the learner then skips for an older one.
/// </summary>
public sealed record LearnerSnapshot(int MatchesLearned, IReadOnlyList<string> RecentMatches, byte[] Parameters)
{
    private const string Magic = "SHAPINGCLUSTER-LEARNER";
    private const int Version = 1;
    public const int RecentKept = 64;

    public byte[] ToBytes()
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(MatchesLearned);
            writer.Write(RecentMatches.Count);
            foreach (var m in RecentMatches) writer.Write(m);
            writer.Write(Parameters.Length);
            writer.Write(Parameters);
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

    /// <exception cref="InvalidDataException">the bytes are not an intact snapshot of this format.</exception>
    public static LearnerSnapshot FromBytes(byte[] data)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException("not a learner snapshot");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"learner snapshot format {version}, this build reads {Version}");
            var hash = reader.ReadBytes(32);
            int length = reader.ReadInt32();
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length) throw new InvalidDataException($"truncated: {bytes.Length} of {length} bytes");
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(hash)) throw new InvalidDataException("checksum mismatch");
            using var body = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            int learned = body.ReadInt32();
            var recent = Enumerable.Range(0, body.ReadInt32()).Select(_ => body.ReadString()).ToList();
            var parameters = body.ReadBytes(body.ReadInt32());
            return new LearnerSnapshot(learned, recent, parameters);
        }
        catch (EndOfStreamException) { throw new InvalidDataException("truncated"); }
    }
}
