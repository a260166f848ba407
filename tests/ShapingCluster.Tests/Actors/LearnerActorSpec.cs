using Akka.Actor;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

public class LearnerActorSpec() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Local), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-learner-").FullName;

    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig Config = TestGames.Mfos(hidden: 16, learningRate: 2e-4);

    private PopulationContext Population() => new(Config, new PopulationSettings
    {
        Members = [new MemberSpec("mfos-0", "mfos", LearnsAcrossMatches: true), new MemberSpec("lola-0", "lola", LearnsAcrossMatches: false)],
        Batch = 32, MetaSteps = 3,
    }, _dir);

    public new void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        base.Dispose();
    }

    [Fact]
    public void Mfos_member_answers_the_match_protocol_as_the_plain_player_would_and_learns_at_the_end()
    {
        var population = Population();
        var learner = Sys.ActorOf(Props.Create(() => new LearnerActor("mfos-0", population, null)));
        // The same member as a plain object: same initialisation seed, same per-match seed.
        using var agent = Config.MemberFactory("mfos", population.Game).Create(Seeds.Initialisation(population.Settings.Seed, 0));
        using var plain = agent.NewPlayer(new PlayerRequest("mfos-0", Seat.Col, 32, Seeds.Derive(population.Settings.Seed, 7, 1)));

        learner.Tell(new LearnerActor.Begin("mfos-0", "m1", "m1", 7, Seat.Col));
        Assert.Equal(plain.Begin(), ExpectMsg<LearnerActor.Chosen>(c => c.Step == 0).Policy);
        var opponent = Enumerable.Range(0, 32 * 5).Select(i => (float)Math.Cos(i)).ToArray();
        float[] reward = Enumerable.Repeat(-1f, 32).ToArray();
        learner.Tell(new LearnerActor.Choose("mfos-0", "m1", 1, opponent, null));
        Assert.Equal(plain.Choose(opponent, null), ExpectMsg<LearnerActor.Chosen>(c => c.Step == 1).Policy);
        learner.Tell(new LearnerActor.Choose("mfos-0", "m1", 2, opponent, reward));
        Assert.Equal(plain.Choose(opponent, reward), ExpectMsg<LearnerActor.Chosen>(c => c.Step == 2).Policy);
        learner.Tell(new LearnerActor.Finish("mfos-0", "m1", reward));
        plain.Finish(reward);
        var learned = agent.Learn(plain);
        Assert.Equal(learned.Metrics, ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20)).Learning);

        // After learning, the next match acts with the updated meta-policy: same seeds, different choices.
        using var next = agent.NewPlayer(new PlayerRequest("mfos-0", Seat.Col, 32, Seeds.Derive(population.Settings.Seed, 8, 1)));
        learner.Tell(new LearnerActor.Begin("mfos-0", "m2", "m2", 8, Seat.Col));
        Assert.Equal(next.Begin(), ExpectMsg<LearnerActor.Chosen>().Policy);
        learner.Tell(new LearnerActor.Choose("mfos-0", "m2", 1, opponent, null));
        Assert.Equal(next.Choose(opponent, null), ExpectMsg<LearnerActor.Chosen>().Policy);
    }

    [Fact]
    public void A_request_for_a_match_the_member_is_not_in_fails_that_match_and_the_member_lives_on()
    {
        var learner = Sys.ActorOf(Props.Create(() => new LearnerActor("lola-0", Population(), null)));
        learner.Tell(new LearnerActor.Choose("lola-0", "ghost", 1, new float[160], null));
        var failed = ExpectMsg<LearnerActor.Failed>();
        Assert.Equal("ghost", failed.Attempt);
        Assert.Contains("not in match attempt ghost", failed.Reason);
        learner.Tell(new LearnerActor.Begin("lola-0", "m1", "m1", 1, Seat.Row));
        Assert.Equal(160, ExpectMsg<LearnerActor.Chosen>().Policy.Length);
    }

    [Fact]
    public void A_member_fed_a_wrongly_shaped_policy_reports_it()
    {
        var learner = Sys.ActorOf(Props.Create(() => new LearnerActor("lola-0", Population(), null)));
        learner.Tell(new LearnerActor.Begin("lola-0", "m1", "m1", 1, Seat.Row));
        ExpectMsg<LearnerActor.Chosen>();
        learner.Tell(new LearnerActor.Choose("lola-0", "m1", 1, new float[7], null));
        Assert.Equal("m1", ExpectMsg<LearnerActor.Failed>().Attempt);
    }
}
