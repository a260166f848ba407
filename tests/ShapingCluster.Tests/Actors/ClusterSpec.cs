using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Actors;

/// <summary>Population runs on in-process clusters: the stories of issue 4.</summary>
[Collection("cluster")]
public class ClusterSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PopulationSettings Small(string members, Pairing pairing, int rounds, int minNodes, double lambdaStep = 0.3) => new()
    {
        Name = "small",
        Members = TestGames.MfosMembers(int.Parse(members.Split(':')[1])),
        Pairing = pairing,
        Rounds = rounds,
        Batch = 64,
        MetaSteps = 10,
        MaxParallelMatches = 3,
        MinNodes = minNodes,
        Lambda = new LambdaSchedule(1, lambdaStep),
    };

    private static readonly ShapingConfig Config = TestGames.Mfos(hidden: 16, learningRate: 2e-3);

    [Fact]
    public async Task A_match_driven_by_actors_equals_the_plain_match_loop()
    {
        var settings = Small("mfos:1", Pairing.Fixed, rounds: 1, minNodes: 1);
        await using (var cluster = ClusterHarness.Start(1, settings, _dir, config: Config))
            await cluster.AwaitFinished(TimeSpan.FromSeconds(60));
        var recorded = JObject.Parse(File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Single());

        var game = TestGames.Get("ipd");
        var plan = new MatchSchedule(settings).Round(1).Single();
        using var agent = Config.MemberFactory("mfos", game).Create(Seeds.Initialisation(settings.Seed, 0));
        using var nl = new InnerLearnerPlayer(TestGames.Defaults.CreateLearner("nl", game), Seat.Row, 64, 5, Seeds.Derive(settings.Seed, plan.Number, 0));
        using var mfos = agent.NewPlayer(new PlayerRequest("mfos-0", Seat.Col, 64, Seeds.Derive(settings.Seed, plan.Number, 1)));
        var plain = Match.Play(new MatchReferee(game, 64, 10), nl, mfos);

        Assert.Equal(plan.Id, (string)recorded["match"]!);
        Assert.Equal(plain.Row.Reward, (double)recorded["rewards"]![0]!, 9);
        Assert.Equal(plain.Col.Reward, (double)recorded["rewards"]![1]!, 9);
        Assert.Equal(plain.Col.Cooperation.Select(c => Math.Round(c, 4)), recorded["cooperation"]![1]!.Select(c => (double)c));
        Assert.True(double.IsFinite((double)recorded["learning"]![1]!["loss"]!)); // the member learned and reported its loss
    }

    [Fact]
    public async Task A_population_on_three_nodes_runs_to_completion_with_matches_on_every_node_each_counted_once()
    {
        var settings = Small("mfos:6", Pairing.SelfPlay, rounds: 4, minNodes: 3);
        long planned = new MatchSchedule(settings).TotalMatches();
        ArenaActor.Status status;
        await using (var cluster = ClusterHarness.Start(3, settings, _dir, config: Config))
        {
            await cluster.AwaitUp(TimeSpan.FromSeconds(30));
            status = await cluster.AwaitFinished(TimeSpan.FromSeconds(120));
            Assert.Equal(3, status.Learners!.Values.Distinct().Count());
        }
        var lines = File.ReadAllLines(Path.Combine(_dir, MatchesProjection.FileName)).Select(JObject.Parse).ToList();
        Assert.Equal(planned, status.MatchesDone);
        Assert.Equal(planned, lines.Count);
        Assert.Equal(planned, lines.Select(l => (string)l["match"]!).Distinct().Count());
        Assert.Equal(3, lines.Select(l => (string)l["node"]!).Distinct().Count());
        var board = JObject.Parse(File.ReadAllText(Path.Combine(_dir, ScoreboardFile.FileName)));
        Assert.True((bool)board["finished"]!);
        Assert.Equal(planned, (int)board["matchesPlanned"]!);
        Assert.Equal(planned, (int)board["matchesDone"]!);
        // One line of fitted ratings per round, and the cross-play cells name only players that met.
        Assert.Equal([1, 2, 3, 4], File.ReadAllLines(Path.Combine(_dir, RatingsProjection.FileName)).Select(l => (int)JObject.Parse(l)["round"]!));
        Assert.All((JArray)board["crossPlay"]!["cells"]!, c => Assert.True((int)c[3]! > 0));
    }

    [Fact]
    public async Task A_quarantined_member_leaves_the_schedule_and_the_run_goes_on()
    {
        // Learning rate 3e38 makes every M-FOS update blow up: both members are quarantined in round 1, so rounds 2
        // and 3 have no matches, and the run finishes with the 2 matches it recorded.
        var settings = Small("mfos:2", Pairing.Fixed, rounds: 3, minNodes: 1);
        ArenaActor.Status status;
        await using (var cluster = ClusterHarness.Start(1, settings, _dir, config: TestGames.Mfos(hidden: 16, learningRate: 3e38)))
            status = await cluster.AwaitFinished(TimeSpan.FromSeconds(60));
        Assert.Equal(2, status.MatchesDone);
        Assert.Equal(2, status.MatchesPlanned);
        Assert.Equal(["mfos-0", "mfos-1"], status.Quarantined!.Keys.Order());
        var board = JObject.Parse(File.ReadAllText(Path.Combine(_dir, ScoreboardFile.FileName)));
        Assert.Equal(2, ((JObject)board["quarantined"]!).Count);
    }
}
