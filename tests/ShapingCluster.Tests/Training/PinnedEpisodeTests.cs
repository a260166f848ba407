using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Training;

namespace ShapingCluster.Tests.Training;

/// <summary>
/// Seeded M-FOS episodes give the same rewards and inner-policy cooperation as the build these numbers were taken
/// from (commit db7a440, before member kinds became plug-ins), for the three ways an episode is played: against a
/// fresh naive learner, against LOLA, and self-play with λ (naive-learner episodes, then self-play). The tolerance
/// is float32 rounding, not behaviour: 1e-5 relative lets a kernel sum in another order, while any change of the
/// algorithm (a draw, the step order, the seat) moves these numbers by more than 1e-3.
/// </summary>
public class PinnedEpisodeTests
{
    private static void AssertClose(double expected, double actual, string what)
    {
        double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    private static void AssertEpisodes(Experiment experiment, string ppo, (string Opponent, double[] Rewards, double[] Cooperation)[] expected)
    {
        using var training = TestGames.Training(experiment, TestGames.With($"shaping.learners.mfos.ppo {{ {ppo} }}"));
        foreach (var (opponent, rewards, cooperation) in expected)
        {
            var record = training.RunNextEpisode();
            Assert.Equal(opponent, record.Opponent);
            for (int i = 0; i < rewards.Length; i++) AssertClose(rewards[i], record.Rewards[i], $"episode {record.Episode} reward {i}");
            for (int i = 0; i < cooperation.Length; i++) AssertClose(cooperation[i], record.Cooperation[i], $"episode {record.Episode} cooperation {i}");
        }
    }

    [Fact]
    public void Mfos_against_naive_learners_on_the_ipd_plays_the_pinned_episodes()
    {
        AssertEpisodes(new Experiment { Name = "pin", Game = "ipd", Opponent = "nl", Episodes = 3, Batch = 64, MetaSteps = 10, Seed = 5 }, "hidden = 32",
        [
            ("nl", [-2.366490602493286, -1.0461289286613464], [0.5084398753812188, 0.5100129402388788, 0.5090439266790887, 0.5468550693749851, 0.5136959352250269]),
            ("nl", [-2.3854074478149414, -1.049373608827591], [0.5184296177768014, 0.5094584316795102, 0.49155125804086663, 0.527091961883772, 0.5128013578997623]),
            ("nl", [-2.3512580394744873, -1.0895250201225282], [0.5181562318937629, 0.4916378496912074, 0.4805541901442553, 0.5142274630786595, 0.4934074784463311]),
        ]);
    }

    [Fact]
    public void Mfos_against_lola_on_matching_pennies_plays_the_pinned_episodes()
    {
        AssertEpisodes(new Experiment { Name = "pin", Game = "imp", Opponent = "lola", Episodes = 2, Batch = 64, MetaSteps = 10, Seed = 6 }, "hidden = 32",
        [
            ("lola", [-0.010619631968438625, 0.010619631782174111], [0.46940494774148983, 0.4555955212616067, 0.5079681597831754, 0.4908785989530419, 0.5172527187240614]),
            ("lola", [0.0087119797244668, -0.008711979730287566], [0.450720454180348, 0.43922405890792005, 0.5070204696058018, 0.4608083380795974, 0.5147133834159481]),
        ]);
    }

    [Fact]
    public void Mfos_self_play_on_chicken_plays_the_pinned_naive_learner_and_self_play_episodes()
    {
        AssertEpisodes(new Experiment
        {
            Name = "pin", Game = "chicken", SelfPlay = true, Episodes = 4, Batch = 64, MetaSteps = 10, Seed = 7, Lambda = new LambdaSchedule(1.0, 0.3),
        }, "hidden = 32, learning-rate = 0.0002",
        [
            ("nl", [0.29310742020606995, 0.35459381341934204], [0.54572470871112]),
            ("nl", [0.21945123374462128, 0.3105844259262085], [0.5424776776016057]),
            ("self", [-21.091964721679688, -21.11267852783203], [0.5356062979448376]),
            ("self", [-22.01020622253418, -22.040081024169922], [0.5226048357714197]),
        ]);
    }
}
