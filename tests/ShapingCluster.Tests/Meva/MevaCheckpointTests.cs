using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Meva;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Training;

namespace ShapingCluster.Tests.Meva;

public class MevaCheckpointTests
{
    private static readonly Experiment Small = new()
    {
        Name = "ckpt", Game = "imp", Kind = "meva", Mirror = true, Opponent = "lola", Episodes = 4, Batch = 64, MetaSteps = 15,
        Seed = 41, Lambda = new LambdaSchedule(0.5, 0),
    };

    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig Config =
        TestGames.With("shaping.learners.meva { td { updates = 10, minibatch = 128 } replay { capacity = 4096, per-match = 512 } }");

    [Fact]
    public void A_run_continued_from_its_checkpoint_plays_and_learns_the_next_episode_exactly_as_without_the_break()
    {
        using var uninterrupted = TestGames.Training(Small, Config);
        uninterrupted.RunNextEpisode();
        uninterrupted.RunNextEpisode();
        var checkpoint = uninterrupted.Checkpoint().ToBytes();
        var expected = uninterrupted.RunNextEpisode();

        using var resumed = TestGames.Training(Small, Config);
        resumed.Restore(MemberCheckpoint.FromBytes(checkpoint));
        var actual = resumed.RunNextEpisode();
        Assert.Equal(expected.Opponent, actual.Opponent);
        Assert.Equal(expected.Rewards, actual.Rewards);
        Assert.Equal(expected.Cooperation, actual.Cooperation);
        Assert.Equal(expected.Learning.Select(l => l.Metrics["td-loss"]), actual.Learning.Select(l => l.Metrics["td-loss"]));
        Assert.Equal(uninterrupted.Members[0].Save(), resumed.Members[0].Save());
    }

    [Fact]
    public void A_saved_member_loads_into_a_fresh_one_bit_for_bit_and_a_truncated_state_is_refused()
    {
        using var training = TestGames.Training(Small with { Episodes = 2 }, Config);
        training.RunNextEpisode();
        training.RunNextEpisode();
        var saved = training.Members[0].Save();
        var replay = ((MevaAgent)training.Members[0]).Replay;
        Assert.True(replay.Count > 0);

        using var fresh = Config.MemberFactory("meva", Config.Game("imp")).Create(99);
        Assert.NotEqual(saved, fresh.Save());
        fresh.Load(saved);
        Assert.Equal(saved, fresh.Save());
        Assert.Equal(replay.Count, ((MevaAgent)fresh).Replay.Count);

        Assert.Throws<InvalidDataException>(() => fresh.Load(saved[..^7]));
        using var otherShape = TestGames.With("shaping.learners.meva.network.hidden = 8").MemberFactory("meva", Config.Game("imp")).Create(1);
        Assert.Throws<InvalidDataException>(() => otherShape.Load(saved));
    }

    [Fact]
    public void In_mirror_mode_one_member_plays_both_seats_and_learns_from_both_or_meets_the_fresh_opponent()
    {
        using var training = TestGames.Training(Small with { Episodes = 6 }, Config);
        var records = Enumerable.Range(0, 6).Select(_ => training.RunNextEpisode()).ToList();
        Assert.Single(training.Members);
        Assert.Equal(records.Select(r => training.PlaysFresh(r.Episode) ? "lola" : "self"), records.Select(r => r.Opponent));
        Assert.Contains(records, r => r.Opponent == "self");
        Assert.Contains(records, r => r.Opponent == "lola");
        Assert.All(records, r => Assert.Equal(["meva-0", "opponent"], r.Sides));
        Assert.All(records, r => Assert.Equal(r.Opponent == "self" ? 2 : 1, r.Learning.Count));
        // IMP is zero-sum: at both seats of one match the member's two sides' rewards cancel.
        Assert.All(records.Where(r => r.Opponent == "self"), r => Assert.Equal(0, r.Rewards[0] + r.Rewards[1], 5));
    }
}
