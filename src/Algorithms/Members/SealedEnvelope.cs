using System.Security.Cryptography;
using System.Text;

namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// The envelope of every state the project writes to disk or a snapshot store (member checkpoints, arena
/// snapshots): a magic string and a format version, then a SHA-256 over the body and the body's length, so that a
/// corrupt, truncated or foreign file is always an <see cref="InvalidDataException"/> naming what is wrong, never a
/// wrong state; and the bounded reads the bodies use, so that no length read from the data can make a reader
/// allocate more than the data holds.
/// </summary>
public static class SealedEnvelope
{
    public static byte[] Seal(string magic, int version, Action<BinaryWriter> writeBody)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true)) writeBody(writer);
        var bytes = body.ToArray();
        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(version);
            writer.Write(SHA256.HashData(bytes));
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
        return output.ToArray();
    }

    /// <summary>Checks the envelope and reads the body with <paramref name="readBody"/>, which must consume it all.</summary>
    /// <exception cref="InvalidDataException">not an intact envelope of this kind and version, or a malformed body.</exception>
    public static T Open<T>(byte[] data, string magic, int version, string what, Func<BinaryReader, T> readBody)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            if (reader.ReadString() != magic) throw new InvalidDataException($"not a {what}");
            int found = reader.ReadInt32();
            if (found != version) throw new InvalidDataException($"{what} format {found}, this build reads {version}");
            var hash = reader.ReadBytes(32);
            var bytes = reader.ReadBytes(Count(reader, 1));
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(hash)) throw new InvalidDataException($"{what}: checksum mismatch");
            using var body = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            var result = readBody(body);
            if (body.BaseStream.Position != body.BaseStream.Length) throw new InvalidDataException($"{what}: trailing bytes");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"truncated or malformed {what} ({e.Message})");
        }
    }

    /// <summary>A count read from the data: never negative, never more items (of at least
    /// <paramref name="minimumBytesEach"/> bytes) than bytes are left.</summary>
    public static int Count(BinaryReader reader, int minimumBytesEach)
    {
        int count = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * minimumBytesEach > left)
            throw new InvalidDataException($"a count of {count} does not fit the {left} bytes left");
        return count;
    }

    /// <summary><see cref="Count"/> items read with <paramref name="item"/>.</summary>
    public static List<T> List<T>(BinaryReader reader, int minimumBytesEach, Func<T> item)
    {
        int count = Count(reader, minimumBytesEach);
        var items = new List<T>(count);
        for (int i = 0; i < count; i++) items.Add(item());
        return items;
    }
}
