using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Actors.Serialization;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Tests.Actors;
using ShapingCluster.Tests.Host;

namespace ShapingCluster.Tests.Security;

/// <summary>Issue 14, serializers: nothing read from the wire or a journal row names a .NET type; manifests are
/// pinned; journals written before the pinning still read; forged lengths are errors, not allocations.</summary>
public class SerializerSecuritySpec() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Local)
{
    private static readonly DateTime Recorded = new(2025, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc);

    /// <summary>The events of tests/.../Fixtures/journal-db7a440.jsonl, in its order (written by the serializer of
    /// db7a440, when manifests were type names).</summary>
    private static readonly IShapingMessage[] FixtureEvents =
    [
        new RunStarted(3),
        new MatchRecorded(new MatchOutcome("r00001-m000", 1, "mfos-0", "mfos-1", true, true, -1.4414, 0.25, "127.0.0.1:4051", 3.5, Recorded)),
        new MatchRecorded(new MatchOutcome("r00002-m003", 2, "nl", "mfos-2", false, true, double.NaN, -0.5, "10.0.0.7:4052", 12.25, Recorded.AddMinutes(1))),
        new MemberQuarantined("mfos-3", "parameters became NaN after r00002-m001", 2),
        new MatchVoided("r00002-m004", "mfos-3 quarantined"),
        new LearnerActor.LearnedFrom("r00001-m000"),
        new LearnerActor.QuarantinedFor("parameters became NaN after r00002-m001"),
    ];

    [Fact]
    public void Every_shaping_message_type_has_a_pinned_manifest()
    {
        var unpinned = typeof(IShapingMessage).Assembly.GetTypes()
            .Where(t => typeof(IShapingMessage).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Where(t => ShapingManifests.Of(t) is null).Select(t => t.FullName).ToList();
        Assert.True(unpinned.Count == 0, $"IShapingMessage types without a pinned manifest (add a line to ShapingManifests): {string.Join(", ", unpinned)}");
        Assert.All(ShapingManifests.Types, t => Assert.InRange(ShapingManifests.Of(t)!.Length, 1, 4));
    }

    [Fact]
    public void A_journal_written_before_the_manifests_were_pinned_reads_back_to_the_same_events()
    {
        var rows = File.ReadAllLines(Path.Combine(E2eScript.RepositoryRoot(), "tests", "ShapingCluster.Tests", "Security", "Fixtures", "journal-db7a440.jsonl"))
            .Select(JObject.Parse).ToList();
        Assert.Equal(FixtureEvents.Length, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var back = Sys.Serialization.Deserialize(Convert.FromBase64String((string)rows[i]["payload"]!), (int)rows[i]["serializerId"]!, (string)rows[i]["manifest"]!);
            Assert.Equal(FixtureEvents[i], back);
        }
    }

    [Fact]
    public void Events_are_written_with_their_pinned_manifest_and_read_back()
    {
        foreach (var e in FixtureEvents)
        {
            var serializer = (ShapingSerializer)Sys.Serialization.FindSerializerFor(e);
            string manifest = serializer.Manifest(e);
            Assert.StartsWith("E", manifest);
            Assert.Equal(e, serializer.FromBinary(serializer.ToBinary(e), manifest));
        }
    }

    [Fact]
    public void A_typed_json_payload_under_serializer_id_1_is_refused_without_loading_the_named_assembly()
    {
        var payload = Encoding.UTF8.GetBytes("""{"$type":"Evil.Gadget, EvilAssemblyChosenByAttacker","Command":"touch /tmp/pwned"}""");
        var error = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(payload, 1, "Evil.Gadget, EvilAssemblyChosenByAttacker"));
        Assert.Contains("serializer id 1", error.Message);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "EvilAssemblyChosenByAttacker");
    }

    private sealed record NotAShapingMessage(string Text);

    [Fact]
    public void A_type_without_a_binding_is_refused_when_sent_instead_of_going_out_as_typed_json()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new NotAShapingMessage("x"));
        Assert.IsType<RefusingSerializer>(serializer);
        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(new NotAShapingMessage("x")));
        Assert.Contains(nameof(NotAShapingMessage), error.Message);
    }

    [Fact]
    public async Task Only_the_projects_and_akkas_own_serializers_are_registered_in_a_cluster_node()
    {
        using var node = ActorSystem.Create("shaping", ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """).WithFallback(ActorSpecConfig.Local));
        // Akka offers no public list of its serializers; the id table is what a receiver consults for every payload.
        var byId = (Dictionary<int, Akka.Serialization.Serializer>)typeof(Akka.Serialization.Serialization)
            .GetField("_serializersById", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(node.Serialization)!;
        var registered = byId.Values.ToList();
        Assert.IsType<RefusingSerializer>(byId[RefusingSerializer.JsonIdentifier]);
        Assert.Contains(registered, s => s is ShapingSerializer);
        Assert.All(registered, s => Assert.True(s!.GetType().Namespace!.StartsWith("Akka.") || s is ShapingSerializer or RefusingSerializer,
            $"unexpected serializer {s.GetType().FullName} (id {s.Identifier})"));
        Assert.DoesNotContain(registered, s => s is Akka.Serialization.NewtonSoftJsonSerializer);
        await node.Terminate();
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0x7f }, "JSON length")]             // int.MaxValue bytes of JSON
    [InlineData(new byte[] { 0x02, 0, 0, 0, (byte)'{', (byte)'}', 0, 0, 0, 0x40 }, "blob count")] // 2^30 blobs
    [InlineData(new byte[] { 0x02, 0, 0, 0, (byte)'{', (byte)'}', 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f }, "blob length")] // 4 × int.MaxValue overflows
    [InlineData(new byte[] { 0xfe, 0xff, 0xff, 0xff }, "JSON length")]             // negative
    [InlineData(new byte[] { 0x02, 0 }, "ends before")]
    public void A_forged_length_is_a_serialization_error_before_anything_is_allocated(byte[] bytes, string named)
    {
        var serializer = (ShapingSerializer)Sys.Serialization.FindSerializerFor(new ArenaActor.GetStatus());
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "LC"));
        Assert.Contains(named, error.Message);
    }

    [Property(MaxTest = 300)]
    public bool Any_bytes_under_any_manifest_either_deserialize_or_fail_as_a_serialization_error(byte[] bytes, PositiveInt pick)
    {
        var manifests = ShapingManifests.Types.Select(t => ShapingManifests.Of(t)!).ToArray();
        var serializer = (ShapingSerializer)Sys.Serialization.FindSerializerFor(new ArenaActor.GetStatus());
        try { serializer.FromBinary(bytes ?? [], manifests[pick.Get % manifests.Length]); return true; }
        catch (SerializationException) { return true; }
    }
}
