using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Training;

namespace ShapingCluster.Tests.Training;

public class MemberTrainingTests
{
    private static readonly ShapingConfig Config = TestGames.With("shaping.learners.mfos.ppo { learning-rate = 0.01, hidden = 64 }");

    private static readonly Experiment Small = new()
    {
        Name = "small", Game = "ipd", Opponent = "nl", Episodes = 60, Batch = 256, MetaSteps = 50, Seed = 11,
    };

    [Fact]
    public void Mfos_against_naive_learners_improves_over_its_first_episode_deterministically()
    {
        double[] Run(int episodes)
        {
            using var training = TestGames.Training(Small with { Episodes = episodes }, Config);
            var rewards = new List<double>();
            while (!training.Finished) rewards.Add(training.RunNextEpisode().Rewards[0]);
            return rewards.ToArray();
        }
        var first = Run(60);
        Assert.Equal(first.Take(5), Run(5)); // same seed, same episodes
        double last = first.TakeLast(5).Average();
        Assert.True(last > first[0] + 0.3, $"M-FOS went from {first[0]:F3} to {last:F3} (mean of the last 5 episodes)");
    }

    [Fact]
    public void A_run_continued_from_its_checkpoint_plays_the_same_next_episode()
    {
        var experiment = Small with { Episodes = 4 };
        using var uninterrupted = TestGames.Training(experiment, Config);
        uninterrupted.RunNextEpisode();
        uninterrupted.RunNextEpisode();
        var checkpoint = uninterrupted.Checkpoint().ToBytes();
        var expected = uninterrupted.RunNextEpisode();

        using var resumed = TestGames.Training(experiment, Config);
        resumed.Restore(MemberCheckpoint.FromBytes(checkpoint));
        Assert.Equal(2, resumed.EpisodesDone);
        var actual = resumed.RunNextEpisode();
        Assert.Equal(expected.Episode, actual.Episode);
        Assert.Equal(expected.Rewards, actual.Rewards);
        Assert.Equal(expected.Cooperation, actual.Cooperation);
    }

    [Fact]
    public void A_checkpoint_of_another_experiment_is_refused_with_a_clear_error()
    {
        using var selfPlay = TestGames.Training(Small with { SelfPlay = true, Episodes = 1, Batch = 16, MetaSteps = 2 }, Config);
        using var versus = TestGames.Training(Small, Config);
        var error = Assert.Throws<InvalidDataException>(() => versus.Restore(selfPlay.Checkpoint()));
        Assert.Contains("holds 2 members", error.Message);
    }

    [Fact]
    public void A_cancelled_episode_leaves_the_members_as_the_previous_episode_left_them()
    {
        using var training = TestGames.Training(Small with { Episodes = 3, MetaSteps = 20 }, Config);
        training.RunNextEpisode();
        var before = training.Members[0].Save();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => training.RunNextEpisode(cancel.Token));
        Assert.Equal(1, training.EpisodesDone);
        Assert.Equal(before, training.Members[0].Save());
    }

    [Fact]
    public void Self_play_alternates_naive_learner_and_self_play_episodes()
    {
        var experiment = Small with { SelfPlay = true, Episodes = 6, Batch = 32, MetaSteps = 10, Lambda = new LambdaSchedule(1.0, 0.2) };
        using var training = TestGames.Training(experiment, Config);
        var records = Enumerable.Range(0, 6).Select(_ => training.RunNextEpisode()).ToList();
        Assert.Equal(records.Select(r => training.PlaysFresh(r.Episode) ? "nl" : "self"), records.Select(r => r.Opponent));
        Assert.Contains(records, r => r.Opponent == "self");
        Assert.Equal("self", records[^1].Opponent); // λ ≤ 0 from episode 5 on
        Assert.All(records, r => Assert.Equal(["mfos-0", "mfos-1"], r.Sides));
        Assert.All(records, r => Assert.Equal(2, r.Learning.Count)); // both members learn every episode
        var selfPlay = records.First(r => r.Opponent == "self");
        // IPD rewards per step lie in [-3, 0].
        Assert.All(selfPlay.Rewards, r => Assert.InRange(r, -3, 0));
    }

    [Fact]
    public void A_kind_that_does_not_learn_across_matches_cannot_be_trained()
    {
        var error = Assert.Throws<ArgumentException>(() => TestGames.Training(Small with { Kind = "lola" }, Config));
        Assert.Contains("does not learn across matches", error.Message);
    }
}
