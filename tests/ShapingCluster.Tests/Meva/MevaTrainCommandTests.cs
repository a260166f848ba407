using Newtonsoft.Json.Linq;
using ShapingCluster.Tests.Host;

namespace ShapingCluster.Tests.Meva;

/// <summary>`shaping train` of a MeVa experiment through the built binary, then the trained member by its run
/// directory in `shaping play`, at either seat and against itself.</summary>
public class MevaTrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-meva-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_mirror_run_leaves_its_run_directory_resumes_and_its_member_plays_by_the_directory_name()
    {
        var config = Path.Combine(_dir, "tiny-meva.conf");
        File.WriteAllText(config, """
            shaping.experiment { name = tiny-meva, game = ipd, kind = meva, mode = mirror, episodes = 3, batch = 64, meta-steps = 10,
                                 checkpoint-every = 2, lambda { start = 0.5, step = 0 } }
            shaping.learners.meva { network.hidden = 16, td { updates = 5, minibatch = 64 } }
            """);
        var run = Path.Combine(_dir, "meva-run");
        var first = PlayCommandTests.Shaping("train", "--config", config, "--out", run, "--episodes", "2", "--quiet");
        Assert.True(first.Exit == 0, first.Err);
        foreach (var file in new[] { "run.json", "episodes.jsonl", "rewards.png", "policy.png", "learning-td-loss.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        var episodes = File.ReadAllLines(Path.Combine(run, "episodes.jsonl")).Select(JObject.Parse).ToList();
        Assert.All(episodes, e => Assert.True(double.IsFinite((double)e["learning"]![0]!["td-loss"]!)));

        var resumed = PlayCommandTests.Shaping("train", "--config", config, "--out", run, "--resume", "--quiet");
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal([1, 2, 3], File.ReadAllLines(Path.Combine(run, "episodes.jsonl")).Select(l => (int)JObject.Parse(l)["episode"]!));

        foreach (var (row, col) in new[] { (run, "nl"), ("lola", run), (run, run) })
        {
            var play = PlayCommandTests.Shaping("play", "--game", "ipd", "--row", row, "--col", col, "--batch", "64", "--steps", "5", "--json");
            Assert.True(play.Exit == 0, play.Err);
            var result = JObject.Parse(play.Out);
            Assert.InRange((double)result["row"]!["reward"]!, -3, 0);
            Assert.InRange((double)result["col"]!["reward"]!, -3, 0);
        }
        var self = JObject.Parse(PlayCommandTests.Shaping("play", "--game", "ipd", "--row", run, "--col", run, "--batch", "64", "--steps", "5", "--json").Out);
        Assert.Equal("meva-run", (string)self["row"]!["learner"]!);
        var noMember = PlayCommandTests.Shaping("play", "--game", "ipd", "--col", Path.Combine(run, "meva-1"));
        Assert.Equal(2, noMember.Exit);
        Assert.Contains("not 'meva-1'", noMember.Err);
    }
}
