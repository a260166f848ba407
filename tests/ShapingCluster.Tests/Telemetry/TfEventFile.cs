using System.Buffers.Binary;
using System.Text;

namespace ShapingCluster.Tests.Telemetry;

/// <summary>
/// Reads a TensorBoard event file independently of the writer: TFRecord framing (u64 length, masked CRC32C of the
/// length's 8 bytes, the data, masked CRC32C of the data; little-endian) around tensorflow.Event protocol buffers, of
/// which it decodes wall_time (1), step (2), file_version (3) and summary (5: repeated value (1): tag (1),
/// simple_value (2)). A wrong checksum or a torn record is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class TfEventFile
{
    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

    public static IReadOnlyList<Event> Read(string path) => Parse(File.ReadAllBytes(path));

    public static IReadOnlyList<Event> Parse(byte[] bytes)
    {
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) throw new InvalidDataException($"a torn record header at byte {at}");
            var header = bytes.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)) != MaskedCrc(header))
                throw new InvalidDataException($"the length's checksum at byte {at} is wrong");
            at += 12;
            if (length > (ulong)(bytes.Length - at - 4)) throw new InvalidDataException($"a record of {length} bytes at byte {at} runs past the end");
            var data = bytes.AsSpan(at, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + (int)length, 4)) != MaskedCrc(data))
                throw new InvalidDataException($"the data's checksum of the record at byte {at - 12} is wrong");
            events.Add(DecodeEvent(data));
            at += (int)length + 4;
        }
        return events;
    }

    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow and obviously right.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static Event DecodeEvent(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        var scalars = new List<(string, float)>();
        var reader = new ProtoReader(data.ToArray());
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 1): wallTime = reader.Double(); break;
                case (2, 0): step = (long)reader.Varint(); break;
                case (3, 2): version = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (5, 2): scalars.AddRange(DecodeSummary(reader.Bytes())); break;
                default: reader.Skip(wire); break;
            }
        }
        return new Event(wallTime, step, version, scalars);
    }

    private static IEnumerable<(string, float)> DecodeSummary(byte[] summary)
    {
        var reader = new ProtoReader(summary);
        var values = new List<(string, float)>();
        while (reader.Next(out int field, out int wire))
        {
            if (field != 1 || wire != 2) { reader.Skip(wire); continue; }
            var value = new ProtoReader(reader.Bytes());
            string tag = "";
            float simple = float.NaN;
            while (value.Next(out int f, out int w))
            {
                if (f == 1 && w == 2) tag = Encoding.UTF8.GetString(value.Bytes());
                else if (f == 2 && w == 5) simple = value.Float();
                else value.Skip(w);
            }
            values.Add((tag, simple));
        }
        return values;
    }

    private sealed class ProtoReader(byte[] data)
    {
        private int _at;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_at >= data.Length) return false;
            ulong key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (_at >= data.Length || shift > 63) throw new InvalidDataException("a varint runs past the end");
                byte b = data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
        }

        public double Double() { var v = BinaryPrimitives.ReadDoubleLittleEndian(Take(8)); return v; }

        public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

        public byte[] Bytes() => Take(checked((int)Varint())).ToArray();

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Take(8); break;
                case 2: Bytes(); break;
                case 5: Take(4); break;
                default: throw new InvalidDataException($"wire type {wire} is not one a tensorflow.Event uses");
            }
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || data.Length - _at < n) throw new InvalidDataException("a field runs past the end");
            var span = data.AsSpan(_at, n);
            _at += n;
            return span;
        }
    }
}
