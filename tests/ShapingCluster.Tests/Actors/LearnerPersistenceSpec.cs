using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

/// <summary>A learner's snapshots in a SQLite store: restore, fallback past a corrupt one, NaN quarantine.</summary>
public class LearnerPersistenceSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly PersistenceSettings Sqlite = new("sqlite", "", SnapshotEvery: 1, KeepSnapshots: 3);
    private readonly string _dir;

    public LearnerPersistenceSpec() : this(Directory.CreateTempSubdirectory("shaping-learner-db-").FullName) { }

    private LearnerPersistenceSpec(string dir) : base(SpecConfig(dir)) => _dir = dir;

    private static Config SpecConfig(string dir)
    {
        Sqlite.Prepare(dir);
        return Sqlite.AkkaConfig(dir).WithFallback(ActorSpecConfig.Local);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private PopulationContext Population(double learningRate = 2e-3) => new(TestGames.Mfos(hidden: 8, learningRate), new PopulationSettings
    {
        Name = "persist", Members = TestGames.MfosMembers(1), Batch = 16, MetaSteps = 3,
    }, _dir);

    /// <summary>Plays match <paramref name="number"/> against a fixed opponent; returns the member's first choice.</summary>
    private float[] PlayMatch(IActorRef learner, long number, bool learn = true)
    {
        string match = $"m{number}";
        var opponent = Enumerable.Range(0, 16 * 5).Select(i => (float)Math.Sin(i)).ToArray();
        var reward = Enumerable.Repeat(-1f, 16).ToArray();
        learner.Tell(new LearnerActor.Begin("mfos-0", match, match, number, Seat.Col));
        ExpectMsg<LearnerActor.Chosen>(TimeSpan.FromSeconds(20));
        learner.Tell(new LearnerActor.Choose("mfos-0", match, 1, opponent, null));
        var first = ExpectMsg<LearnerActor.Chosen>().Policy;
        learner.Tell(new LearnerActor.Choose("mfos-0", match, 2, opponent, reward));
        ExpectMsg<LearnerActor.Chosen>();
        if (learn)
        {
            learner.Tell(new LearnerActor.Finish("mfos-0", match, reward));
            ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20));
        }
        return first;
    }

    private IActorRef Start(PopulationContext population, string name) => Sys.ActorOf(Props.Create(() => new LearnerActor("mfos-0", population, null)), name);

    private void StopAndWait(IActorRef learner)
    {
        Watch(learner);
        learner.Tell(PoisonPill.Instance);
        ExpectTerminated(learner);
    }

    [Fact]
    public void A_restarted_learner_continues_from_its_snapshot_and_skips_a_newest_corrupt_one()
    {
        var population = Population();
        var first = Start(population, "life-1");
        PlayMatch(first, 1);
        PlayMatch(first, 2);
        StopAndWait(first);
        // What the member does after two learned matches, seen by a learner restored from the intact snapshot:
        var restored = Start(population, "life-2");
        var afterTwo = PlayMatch(restored, 3, learn: false);
        PlayMatch(restored, 4); // learns a third match
        StopAndWait(restored);

        using (var db = new SqliteConnection($"Data Source={Path.Combine(_dir, PersistenceSettings.SnapshotFile)}"))
        {
            db.Open();
            using var corrupt = db.CreateCommand();
            corrupt.CommandText = "UPDATE snapshot SET snapshot = substr(snapshot, 1, 100) WHERE sequence_number = (SELECT max(sequence_number) FROM snapshot)";
            Assert.Equal(1, corrupt.ExecuteNonQuery());
        }
        EventFilter.Error(contains: "is unusable").ExpectOne(() => Start(population, "life-3").Tell(new LearnerActor.Begin("mfos-0", "probe", "probe", 0, Seat.Col)));
        ExpectMsg<LearnerActor.Chosen>(TimeSpan.FromSeconds(20));
        var fallen = Start(population, "life-4");
        // Fell back to the snapshot after two matches: it acts exactly as the learner restored after two matches did.
        Assert.Equal(afterTwo, PlayMatch(fallen, 3, learn: false));
    }

    [Fact]
    public void A_learner_whose_learning_blows_up_is_quarantined_and_refuses_further_matches()
    {
        var learner = Start(Population(learningRate: 3e38), "blow-up");
        learner.Tell(new LearnerActor.Begin("mfos-0", "m1", "m1", 1, Seat.Col));
        ExpectMsg<LearnerActor.Chosen>(TimeSpan.FromSeconds(20));
        learner.Tell(new LearnerActor.Choose("mfos-0", "m1", 1, new float[80], null));
        ExpectMsg<LearnerActor.Chosen>();
        learner.Tell(new LearnerActor.Finish("mfos-0", "m1", Enumerable.Repeat(-1f, 16).ToArray()));
        var finished = ExpectMsg<LearnerActor.Finished>(TimeSpan.FromSeconds(20));
        // A learning rate of 3e38 overflows float32 inside the Adam step (or leaves NaN/∞ parameters): either way
        // the member keeps its last good parameters and is quarantined.
        Assert.NotNull(finished.Quarantine);
        Assert.Contains("match m1", finished.Quarantine);
        learner.Tell(new LearnerActor.Begin("mfos-0", "m2", "m2", 2, Seat.Col));
        Assert.Contains("quarantined", ExpectMsg<LearnerActor.Failed>().Reason);
    }
}
