using System.Runtime.Serialization;
using Akka.Configuration;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Actors.Serialization;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

public class ShapingSerializerSpec() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Local)
{
    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<ShapingSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return (T)Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }

    [Fact]
    public void Policies_travel_as_raw_floats_and_come_back_bit_for_bit()
    {
        var policy = Enumerable.Range(0, 4096 * 5).Select(i => MathF.Sin(i) * 1e3f).ToArray();
        policy[7] = float.Epsilon;
        var message = new LearnerActor.Choose("mfos-1", "r00001-m000", 3, policy, null);
        var back = RoundTrip(message);
        Assert.Equal(message.Member, back.Member);
        Assert.Equal(message.Step, back.Step);
        Assert.Null(back.Reward);
        Assert.Equal(policy, back.OpponentPrevious);
        // 4 bytes a float plus a little JSON: far below what a decimal rendering would take.
        Assert.InRange(Sys.Serialization.FindSerializerFor(message).ToBinary(message).Length, policy.Length * 4, policy.Length * 4 + 300);
    }

    [Fact]
    public void Every_protocol_message_round_trips()
    {
        var plan = new MatchPlan("r00002-m001", 2_000_001, 2, SeatSpec.Fresh("nl"), SeatSpec.OfMember("mfos-0"));
        var outcome = new MatchOutcome(plan.Id, 2, "nl", "mfos-0", false, true, -2.1, -0.5, "127.0.0.1:4051", 3.2);
        IShapingMessage[] messages =
        [
            new LearnerActor.Begin("mfos-0", plan.Id, plan.Id, plan.Number, Seat.Col),
            new LearnerActor.Finish("mfos-0", plan.Id, [1f, 2f]),
            new LearnerActor.HostMatch("mfos-0", plan, "a1"),
            new LearnerActor.Chosen("mfos-0", plan.Id, 0, [0.5f]),
            new LearnerActor.Finished("mfos-0", plan.Id, new Dictionary<string, double> { ["loss"] = 0.25 }),
            new LearnerActor.Failed("mfos-0", plan.Id, "NaN"),
            new ArenaActor.MatchCompleted(outcome, "a1"),
            new ArenaActor.MatchFailed(plan.Id, "a1", "timeout"),
            new ArenaActor.LearnerActive("mfos-0", "127.0.0.1:4051"),
            new ArenaActor.GetStatus(),
            new NodeStatusActor.GetNodeStatus(),
        ];
        foreach (var message in messages)
        {
            var back = RoundTrip(message);
            Assert.Equal(message.GetType(), back.GetType());
            Assert.Equal(Newtonsoft.Json.JsonConvert.SerializeObject(message), Newtonsoft.Json.JsonConvert.SerializeObject(back));
        }
        var status = new ArenaActor.Status("p", "n", true, false, null, 3, 10, double.NaN, 6, 40, 12, 1, ["r00003-m000"], 2.5,
            [new ArenaActor.RatedPlayer("mfos-0", 1510.5)], true, new Dictionary<string, int> { ["127.0.0.1:4051"] = 6 },
            new Dictionary<string, string>(), 0, new Dictionary<string, string> { ["mfos-0"] = "127.0.0.1:4051" }, new Dictionary<string, double> { ["mfos-0"] = 1510.5 });
        var statusBack = RoundTrip(status);
        Assert.True(double.IsNaN(statusBack.Lambda));
        Assert.Equal("127.0.0.1:4051", statusBack.Learners!["mfos-0"]);
        Assert.Equal(1510.5, statusBack.Ratings!["mfos-0"]);
        Assert.Equal(1510.5, statusBack.Top[0].Rating);
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_error_naming_it()
    {
        var serializer = (ShapingSerializer)Sys.Serialization.FindSerializerFor(new ArenaActor.GetStatus());
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary([0, 0, 0, 0], "Arena.ArenaActor+Nonexistent"));
        Assert.Contains("Nonexistent", error.Message);
    }

    [Fact]
    public async Task A_message_larger_than_the_transport_frame_is_refused_with_the_setting_to_change()
    {
        using var small = Akka.Actor.ActorSystem.Create("small-frames", ConfigurationFactory
            .ParseString("akka.remote.dot-netty.tcp.maximum-frame-size = 64000b").WithFallback(ActorSpecConfig.Local));
        var message = new LearnerActor.Chosen("mfos-0", "m", 1, new float[4096 * 5]);
        var serializer = small.Serialization.FindSerializerFor(message);
        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(message));
        Assert.Contains("maximum-frame-size", error.Message);
        await small.Terminate();
    }
}
