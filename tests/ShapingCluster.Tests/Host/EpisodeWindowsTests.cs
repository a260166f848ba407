using Newtonsoft.Json.Linq;
using ShapingCluster.Host.Runs;

namespace ShapingCluster.Tests.Host;

public class EpisodeWindowsTests
{
    private static JObject Episode(int n, string opponent, double row, double col) =>
        new() { ["episode"] = n, ["opponent"] = opponent, ["rewards"] = new JArray(row, col) };

    [Fact]
    public void Windows_average_the_reference_episode_ranges_and_the_last_fifty()
    {
        // Reward = episode number on side 0 and minus it on side 1, so each window's mean is the mean of its range.
        var episodes = Enumerable.Range(1, 1024).Select(n => Episode(n, "nl", n, -n)).ToList();
        var rows = EpisodeWindows.Of(episodes);
        Assert.Equal(["1–10", "241–260", "491–510", "last 50 (975–1024)"], rows.Select(r => r.Window));
        Assert.Equal([10, 20, 20, 50], rows.Select(r => r.Episodes));
        Assert.Equal([5.5, 250.5, 500.5, 999.5], rows.Select(r => r.Rewards[0]));
        Assert.Equal([-5.5, -250.5, -500.5, -999.5], rows.Select(r => r.Rewards[1]));
    }

    [Fact]
    public void Self_play_windows_are_kept_apart_by_opponent_kind()
    {
        // Episodes 1-700 against naive learners, then self-play: "last 50" of each kind are that kind's last 50.
        var episodes = Enumerable.Range(1, 800)
            .Select(n => n <= 700 ? Episode(n, "nl", -2, -2) : Episode(n, "self", -1, -1.5)).ToList();
        var rows = EpisodeWindows.Of(episodes);
        var self = Assert.Single(rows, r => r.Opponent == "self");
        Assert.Equal("last 50 (751–800)", self.Window);
        Assert.Equal([-1.0, -1.5], self.Rewards);
        var nlLast = Assert.Single(rows, r => r.Opponent == "nl" && r.Window.StartsWith("last"));
        Assert.Equal("last 50 (651–700)", nlLast.Window);
        Assert.Equal(4, rows.Count(r => r.Opponent == "nl"));
    }
}
