using Akka.Actor;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

/// <summary>A league member freezes itself every N learned matches; a frozen version plays as the member did then.</summary>
public class FrozenVersionSpec() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Local)
{
    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig Config = TestGames.Mfos(hidden: 8, learningRate: 1e-2);
    private const int Batch = 16;

    private static PopulationContext League() => new(Config, new PopulationSettings
    {
        Name = "league", Members = TestGames.MfosMembers(2), Pairing = Pairing.League, FreezeEvery = 2, Batch = Batch, MetaSteps = 3,
    }, Path.GetTempPath());

    private static readonly float[] Opponent = Enumerable.Range(0, Batch * 5).Select(i => (float)Math.Sin(i)).ToArray();
    private static readonly float[] Reward = Enumerable.Range(0, Batch).Select(i => -1f - i % 3).ToArray();

    /// <summary>One match of the protocol against a fixed opponent; returns the member's choices.</summary>
    private List<float[]> Play(IActorRef member, string id, long number, bool finish = true)
    {
        string match = $"m{number}-{Guid.NewGuid():N}";
        var choices = new List<float[]>();
        member.Tell(new LearnerActor.Begin(id, match, match, number, Seat.Col));
        choices.Add(ExpectMsg<LearnerActor.Chosen>(TimeSpan.FromSeconds(20)).Policy);
        member.Tell(new LearnerActor.Choose(id, match, 1, Opponent, null));
        choices.Add(ExpectMsg<LearnerActor.Chosen>().Policy);
        member.Tell(new LearnerActor.Choose(id, match, 2, Opponent, Reward));
        choices.Add(ExpectMsg<LearnerActor.Chosen>().Policy);
        if (finish) member.Tell(new LearnerActor.Finish(id, match, Reward));
        return choices;
    }

    /// <summary>The same match played by a plain member state (no actor).</summary>
    private static List<float[]> PlayPlain(IMemberState state, long number, long seed, bool learn)
    {
        using var player = state.NewPlayer(new PlayerRequest("plain", Seat.Col, Batch, Seeds.Derive(seed, number, 1)));
        var choices = new List<float[]> { player.Begin(), player.Choose(Opponent, null), player.Choose(Opponent, Reward) };
        player.Finish(Reward);
        if (learn) state.Learn(player);
        return choices;
    }

    [Fact]
    public void A_member_stores_its_state_after_every_nth_learned_match_and_the_version_plays_as_it_did_then()
    {
        var population = League();
        var versions = CreateTestProbe();
        var member = Sys.ActorOf(Props.Create(() => new LearnerActor("mfos-0", population, versions.Ref)));
        using var plain = Config.MemberFactory("mfos", population.Game).Create(Seeds.Initialisation(population.Settings.Seed, 0));

        Assert.Equal(PlayPlain(plain, 1, population.Settings.Seed, learn: true), Play(member, "mfos-0", 1));
        ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20)); // match 1: no version
        versions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(PlayPlain(plain, 2, population.Settings.Seed, learn: true), Play(member, "mfos-0", 2));
        // After its second learned match the member stores mfos-0@2 (its state then) before the match counts.
        var store = versions.ExpectMsg<LearnerActor.StoreVersion>(TimeSpan.FromSeconds(20));
        Assert.Equal("mfos-0@2", store.Member);
        Assert.Equal(plain.Save(), store.State);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no Finished until the version is stored
        versions.Reply(new LearnerActor.VersionStored("mfos-0@2"));
        ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20));

        // The version plays as the member did after match 2, and never changes: a second store, a restart.
        var after2 = plain.Save();
        var version = Sys.ActorOf(Props.Create(() => new FrozenVersionActor("mfos-0@2", population)), "v1");
        version.Tell(store);
        Assert.Null(ExpectMsg<LearnerActor.VersionStored>().Refusal);
        var expected = PlayPlain(plain, 3, population.Settings.Seed, learn: true); // the member moves on
        Assert.Equal(expected, Play(version, "mfos-0@2", 3));
        Assert.Null(ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20)).Learning); // it does not learn
        version.Tell(store with { State = plain.Save() }); // the state after match 3: ignored
        ExpectMsg<LearnerActor.VersionStored>();
        Assert.Equal(expected, Play(version, "mfos-0@2", 3));
        ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20));
        Watch(version);
        version.Tell(PoisonPill.Instance);
        ExpectTerminated(version);
        var again = Sys.ActorOf(Props.Create(() => new FrozenVersionActor("mfos-0@2", population)), "v2");
        Assert.Equal(expected, Play(again, "mfos-0@2", 3, finish: false));
        using var check = Config.MemberFactory("mfos", population.Game).Create(0);
        check.Load(after2);
        Assert.Equal(expected, PlayPlain(check, 3, population.Settings.Seed, learn: false));
    }

    [Fact]
    public void A_member_whose_version_cannot_be_stored_does_not_count_the_match_as_learned()
    {
        var population = League();
        var versions = CreateTestProbe();
        var member = Sys.ActorOf(Props.Create(() => new LearnerActor("mfos-0", population, versions.Ref)));
        Play(member, "mfos-0", 1);
        ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20));
        var beforeSecond = Play(member, "mfos-0", 2);
        versions.ExpectMsg<LearnerActor.StoreVersion>(TimeSpan.FromSeconds(20));
        versions.Reply(new LearnerActor.VersionStored("mfos-0@2", "the store refused"));
        Assert.Contains("the store refused", ExpectMsg<LearnerActor.Failed>(TimeSpan.FromSeconds(20)).Reason);
        // Rolled back: the re-run of match 2 plays as the first attempt did.
        Assert.Equal(beforeSecond, Play(member, "mfos-0", 2, finish: false));
    }

    [Fact]
    public void A_version_that_was_never_stored_refuses_to_play()
    {
        var version = Sys.ActorOf(Props.Create(() => new FrozenVersionActor("mfos-1@50", League())));
        version.Tell(new LearnerActor.Begin("mfos-1@50", "m", "m", 1, Seat.Row));
        Assert.Contains("has not been stored", ExpectMsg<LearnerActor.Failed>(TimeSpan.FromSeconds(20)).Reason);
    }
}
