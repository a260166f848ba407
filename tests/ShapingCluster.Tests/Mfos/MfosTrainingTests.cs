using ShapingCluster.Algorithms.Mfos;

namespace ShapingCluster.Tests.Mfos;

public class MfosTrainingTests
{
    private static MfosTraining Training(MfosExperiment experiment)
    {
        var game = TestGames.Get(experiment.Game);
        return new MfosTraining(experiment, game, name => TestGames.Defaults.CreateLearner(name, game));
    }

    private static readonly MfosExperiment Small = new()
    {
        Name = "small", Game = "ipd", Opponent = "nl", Episodes = 60, Batch = 256, MetaSteps = 50, Seed = 11,
        Ppo = new PpoSettings { LearningRate = 0.01, Hidden = 64 },
    };

    [Fact]
    public void Mfos_against_naive_learners_improves_over_its_first_episode_deterministically()
    {
        double[] Run(int episodes)
        {
            using var training = Training(Small with { Episodes = episodes });
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
        using var uninterrupted = Training(experiment);
        uninterrupted.RunNextEpisode();
        uninterrupted.RunNextEpisode();
        using var checkpoint = new MemoryStream();
        uninterrupted.SaveCheckpoint(checkpoint);
        var expected = uninterrupted.RunNextEpisode();

        using var resumed = Training(experiment);
        checkpoint.Position = 0;
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(2, resumed.EpisodesDone);
        var actual = resumed.RunNextEpisode();
        Assert.Equal(expected.Episode, actual.Episode);
        Assert.Equal(expected.Rewards, actual.Rewards);
        Assert.Equal(expected.Cooperation, actual.Cooperation);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused_with_a_clear_error()
    {
        using var training = Training(Small);
        var error = Assert.Throws<InvalidDataException>(() => training.LoadCheckpoint(new MemoryStream([1, 2, 3])));
        Assert.Contains("not an M-FOS checkpoint", error.Message);
    }

    [Fact]
    public void Self_play_alternates_naive_learner_and_self_play_episodes()
    {
        var experiment = Small with { SelfPlay = true, Episodes = 6, Batch = 32, MetaSteps = 10, Lambda = new LambdaSchedule(1.0, 0.2) };
        using var training = Training(experiment);
        var records = Enumerable.Range(0, 6).Select(_ => training.RunNextEpisode()).ToList();
        Assert.Equal(records.Select(r => training.PlaysNaiveLearners(r.Episode) ? "nl" : "self"), records.Select(r => r.Opponent));
        Assert.Contains(records, r => r.Opponent == "self");
        Assert.Equal("self", records[^1].Opponent); // λ ≤ 0 from episode 5 on
        Assert.All(records, r => Assert.Equal(["mfos-0", "mfos-1"], r.Sides));
        var selfPlay = records.First(r => r.Opponent == "self");
        // IPD rewards per step lie in [-3, 0].
        Assert.All(selfPlay.Rewards, r => Assert.InRange(r, -3, 0));
    }
}
