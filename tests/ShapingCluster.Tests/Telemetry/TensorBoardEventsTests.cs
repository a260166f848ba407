using Newtonsoft.Json.Linq;
using ShapingCluster.Tests.Host;

namespace ShapingCluster.Tests.Telemetry;

/// <summary>`shaping train` writes TensorBoard scalars to DIR/tb: read back by an independent TFRecord reader.</summary>
public sealed class TensorBoardEventsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-tb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Self_play_training_writes_rewards_lambda_learning_cooperation_and_seconds_per_episode()
    {
        var config = Path.Combine(_dir, "selfplay.conf");
        File.WriteAllText(config, "shaping.experiment {\n name = tb\n mode = self-play\n episodes = 3\n batch = 32\n meta-steps = 5\n}\nshaping.learners.mfos.ppo.hidden = 8");
        var run = Path.Combine(_dir, "run");
        var (exit, _, error) = PlayCommandTests.Shaping("train", "--config", config, "--out", run, "--quiet");
        Assert.True(exit == 0, error);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(run, "tb"), "events.out.tfevents.*"));
        var events = TfEventFile.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion); // the header record TensorBoard expects first
        var scalars = events.SelectMany(e => e.Scalars.Select(s => (s.Tag, e.Step, s.Value))).ToList();
        string[] tags =
        [
            "reward/mfos-0", "reward/mfos-1", "lambda", "learning/mfos-0/loss", "learning/mfos-1/loss",
            "cooperation/start", "cooperation/CC", "cooperation/CD", "cooperation/DC", "cooperation/DD",
            "seconds/episode", "seconds/rollout", "seconds/update",
        ];
        foreach (var tag in tags) Assert.Equal([1L, 2L, 3L], scalars.Where(s => s.Tag == tag).Select(s => s.Step).Order());
        // Episodes of either kind (against fresh learners, or each other) have their own reward tags too.
        Assert.Equal(6, scalars.Count(s => s.Tag.StartsWith("reward_vs_")));

        // The values are the episodes' own (episodes.jsonl), at float precision.
        foreach (var episode in File.ReadLines(Path.Combine(run, "episodes.jsonl")).Select(JObject.Parse))
        {
            long step = (int)episode["episode"]!;
            float At(string tag) => scalars.Single(s => s.Tag == tag && s.Step == step).Value;
            Assert.Equal((float)(double)episode["rewards"]![0]!, At("reward/mfos-0"));
            Assert.Equal((float)(double)episode["rewards"]![1]!, At("reward/mfos-1"));
            Assert.Equal((float)(double)episode["lambda"]!, At("lambda"));
            Assert.Equal((float)(double)episode["learning"]![1]!["loss"]!, At("learning/mfos-1/loss"));
            Assert.Equal((float)(double)episode["cooperation"]!["DD"]!, At("cooperation/DD"));
            Assert.Equal((float)(double)episode["seconds"]!, At("seconds/episode"), 0.002f);
        }
    }

    [Fact]
    public void The_reader_refuses_a_flipped_byte_and_a_torn_record()
    {
        // One record framed by hand: an Event with step = 7 (field 2, varint).
        byte[] data = [0x10, 0x07];
        var record = new byte[12 + data.Length + 4];
        BitConverter.TryWriteBytes(record.AsSpan(0), (ulong)data.Length);
        BitConverter.TryWriteBytes(record.AsSpan(8), TfEventFile.MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BitConverter.TryWriteBytes(record.AsSpan(12 + data.Length), TfEventFile.MaskedCrc(data));
        Assert.Equal(7, Assert.Single(TfEventFile.Parse(record)).Step);
        // The check value of CRC-32C ("123456789" → 0xE3069283), so the reader's checksum is the standard one.
        Assert.Equal(0xE3069283u, TfEventFile.Crc32C("123456789"u8));

        var flipped = (byte[])record.Clone();
        flipped[12] ^= 0x01;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => TfEventFile.Parse(flipped)).Message);
        Assert.Throws<InvalidDataException>(() => TfEventFile.Parse(record[..^2]));
    }
}
