using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Newtonsoft.Json;

namespace ShapingCluster.Actors.Serialization;

/// <summary>
/// The one serializer for the project's messages (<see cref="IShapingMessage"/>). A message is written as JSON
/// (Newtonsoft) whose float arrays are replaced by references to raw little-endian blobs appended after it, so
/// policies and rewards travel at 4 bytes per float instead of as decimal text. The manifest is the short string
/// pinned in <see cref="ShapingManifests"/>; an unknown manifest is a <see cref="SerializationException"/> (a node
/// of another version drops the message instead of failing). JSON never names a type (no TypeNameHandling): the
/// manifest alone picks one of the project's records. Every length read from the bytes is checked against what is
/// left, so a forged or corrupt message fails with a <see cref="SerializationException"/> before anything is
/// allocated. A message larger than the transport's frame is refused here, with its size and the setting to
/// change, rather than silently dropped by the transport.
/// </summary>
public sealed class ShapingSerializer : SerializerWithStringManifest
{
    private readonly long _maximumFrameSize;

    public ShapingSerializer(ExtendedActorSystem system) : base(system)
    {
        var frame = system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null);
        _maximumFrameSize = frame ?? long.MaxValue;
    }

    public override int Identifier => 7301;

    public override string Manifest(object o) => ShapingManifests.Of(o.GetType())
        ?? throw new SerializationException($"{o.GetType().FullName} has no pinned manifest: add one line for it to ShapingManifests");

    public override byte[] ToBinary(object obj)
    {
        var blobs = new List<float[]>();
        var json = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(obj, Settings(blobs, null)));
        long size = 8 + json.Length + blobs.Sum(b => 4 + 4L * b.Length);
        // Leave room for the transport's envelope (addresses, manifest).
        if (size > _maximumFrameSize - 4096)
            throw new SerializationException($"{obj.GetType().Name} is {size} bytes, more than akka.remote.dot-netty.tcp.maximum-frame-size " +
                $"({_maximumFrameSize} bytes) allows; raise that setting or play smaller batches");
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BitConverter.TryWriteBytes(span, json.Length);
        json.CopyTo(span[4..]);
        int at = 4 + json.Length;
        BitConverter.TryWriteBytes(span[at..], blobs.Count);
        at += 4;
        foreach (var blob in blobs)
        {
            BitConverter.TryWriteBytes(span[at..], blob.Length);
            MemoryMarshal.AsBytes(blob.AsSpan()).CopyTo(span[(at + 4)..]);
            at += 4 + 4 * blob.Length;
        }
        return buffer;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = ShapingManifests.TypeOf(manifest)
            ?? throw new SerializationException($"unknown message type '{manifest}' (a node of another ShapingCluster version?)");
        try
        {
            var span = bytes.AsSpan();
            int at = 0;
            int jsonLength = ReadLength(span, ref at, 1, "JSON length");
            var json = Encoding.UTF8.GetString(span.Slice(at, jsonLength));
            at += jsonLength;
            int count = ReadLength(span, ref at, 4, "blob count");
            var blobs = new List<float[]>(count);
            for (int i = 0; i < count; i++)
            {
                int length = ReadLength(span, ref at, 4, "blob length");
                blobs.Add(MemoryMarshal.Cast<byte, float>(span.Slice(at, 4 * length)).ToArray());
                at += 4 * length;
            }
            if (at != span.Length) throw new FormatException($"{span.Length - at} bytes after the last blob");
            return JsonConvert.DeserializeObject(json, type, Settings(blobs, system))
                ?? throw new FormatException("the JSON is null");
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or JsonException or FormatException or InvalidCastException or OverflowException)
        {
            throw new SerializationException($"corrupt {type.Name} message: {e.Message}", e);
        }
    }

    /// <summary>Reads a non-negative count of items of <paramref name="itemSize"/> bytes that must fit in what is left
    /// after it (so 4 × a blob length cannot overflow and nothing is allocated for bytes that are not there).</summary>
    private static int ReadLength(ReadOnlySpan<byte> span, ref int at, int itemSize, string what)
    {
        if (span.Length - at < 4) throw new FormatException($"the message ends before its {what}");
        int value = BitConverter.ToInt32(span[at..]);
        at += 4;
        if (value < 0 || value > (span.Length - at) / itemSize)
            throw new FormatException($"{what} {value} does not fit in the {span.Length - at} bytes left");
        return value;
    }

    private JsonSerializerSettings Settings(List<float[]> blobs, ActorSystem? actorSystem) => new()
    {
        Converters = [new BlobConverter(blobs), new ActorRefConverter(actorSystem ?? system)],
        FloatFormatHandling = FloatFormatHandling.String,
    };

    /// <summary>float[] ↔ an index into the blobs that follow the JSON.</summary>
    private sealed class BlobConverter(List<float[]> blobs) : JsonConverter<float[]>
    {
        public override void WriteJson(JsonWriter writer, float[]? value, Newtonsoft.Json.JsonSerializer serializer)
        {
            if (value is null) { writer.WriteNull(); return; }
            blobs.Add(value);
            writer.WriteValue(blobs.Count - 1);
        }

        public override float[]? ReadJson(JsonReader reader, Type objectType, float[]? existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null) return null;
            if (reader.TokenType != JsonToken.Integer || reader.Value is not long index || index < 0 || index >= blobs.Count)
                throw new JsonSerializationException($"'{reader.Value}' at {reader.Path} names none of the {blobs.Count} blobs");
            return blobs[(int)index];
        }
    }

    /// <summary>Actor references as their full path, resolved on arrival.</summary>
    private sealed class ActorRefConverter(ActorSystem system) : JsonConverter<IActorRef>
    {
        public override void WriteJson(JsonWriter writer, IActorRef? value, Newtonsoft.Json.JsonSerializer serializer)
        {
            if (value is null) writer.WriteNull();
            else writer.WriteValue(Akka.Serialization.Serialization.SerializedActorPath(value));
        }

        public override IActorRef? ReadJson(JsonReader reader, Type objectType, IActorRef? existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer) =>
            reader.TokenType == JsonToken.Null ? null : ((ExtendedActorSystem)system).Provider.ResolveActorRef((string)reader.Value!);
    }
}
