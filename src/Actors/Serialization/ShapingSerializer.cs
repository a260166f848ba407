using System.Reflection;
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
/// policies and rewards travel at 4 bytes per float instead of as decimal text. The manifest is the message type's
/// name; an unknown manifest is a <see cref="SerializationException"/> (a node of another version drops the
/// message instead of failing). A message larger than the transport's frame is refused here, with its size and
/// the setting to change, rather than silently dropped by the transport.
/// </summary>
public sealed class ShapingSerializer : SerializerWithStringManifest
{
    private const string Prefix = "ShapingCluster.Actors.";
    private static readonly Dictionary<string, Type> Types = typeof(IShapingMessage).Assembly.GetTypes()
        .Where(t => typeof(IShapingMessage).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
        .ToDictionary(ManifestOf);

    private readonly long _maximumFrameSize;

    public ShapingSerializer(ExtendedActorSystem system) : base(system)
    {
        var frame = system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null);
        _maximumFrameSize = frame ?? long.MaxValue;
    }

    public override int Identifier => 7301;

    public override string Manifest(object o) => ManifestOf(o.GetType());

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
        if (!Types.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown message type '{manifest}' (a node of another ShapingCluster version?)");
        try
        {
            var span = bytes.AsSpan();
            int jsonLength = BitConverter.ToInt32(span);
            var json = Encoding.UTF8.GetString(span.Slice(4, jsonLength));
            int at = 4 + jsonLength;
            int count = BitConverter.ToInt32(span[at..]);
            at += 4;
            var blobs = new List<float[]>(count);
            for (int i = 0; i < count; i++)
            {
                int length = BitConverter.ToInt32(span[at..]);
                blobs.Add(MemoryMarshal.Cast<byte, float>(span.Slice(at + 4, 4 * length)).ToArray());
                at += 4 + 4 * length;
            }
            return JsonConvert.DeserializeObject(json, type, Settings(blobs, system))!;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or JsonException)
        {
            throw new SerializationException($"corrupt {manifest} message: {e.Message}", e);
        }
    }

    private static string ManifestOf(Type type) =>
        type.FullName!.StartsWith(Prefix, StringComparison.Ordinal) ? type.FullName[Prefix.Length..] : type.FullName;

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

        public override float[]? ReadJson(JsonReader reader, Type objectType, float[]? existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer) =>
            reader.TokenType == JsonToken.Null ? null : blobs[Convert.ToInt32(reader.Value)];
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
