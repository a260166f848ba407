using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Tests;

public class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Ships_the_games_the_reference_uses_and_more()
    {
        var games = ShapingConfig.Default().Games;
        foreach (var name in new[] { "ipd", "imp", "chicken", "chicken-iterated", "stag-hunt", "battle-of-sexes" })
            Assert.Contains(name, games.Keys);
        Assert.False(games["chicken"].Iterated);
        Assert.Equal(new[] { -1f, -3f, 0f, -2f }, games["ipd"].RowPayoff);
    }

    [Fact]
    public void A_user_adds_a_game_without_code()
    {
        var config = ShapingConfig.Load([Write("shaping.games.harmony {\n iterated = true\n row = [4, 2, 3, 1]\n col = [4, 3, 2, 1]\n}")]);
        Assert.Equal(5, config.Game("harmony").PolicySize);
    }

    [Theory]
    [InlineData("shaping.learners.nl.learning-rte = 2", "learning-rte")]
    [InlineData("shaping.gamez.ipd.row = [1]", "gamez")]
    [InlineData("shaping.games.bad {\n iterated = true\n row = [1, 2, 3]\n col = [1, 2, 3, 4]\n}", "4 payoffs")]
    [InlineData("shaping.games.bad {\n iterated = true\n row = [1, 2, 3, 4]\n col = [1, 2, 3, 4]\n colour = red\n}", "colour")]
    [InlineData("shaping.games.bad {\n iterated = true\n discount = 1.5\n row = [1, 2, 3, 4]\n col = [1, 2, 3, 4]\n}", "discount")]
    [InlineData("shaping.learners.nl.learning-rate = fast", "must be a number")]
    [InlineData("shaping.learners.lola-dice.baseline = median", "baseline must be none, mean or value")]
    [InlineData("shaping.learners.nl.start = gaussian", "start must be normal, zeros or uniform")]
    [InlineData("shaping { games { ipd { row = [1, 2, 3, 4] }", "malformed")]
    public void Bad_configuration_is_an_error_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<ShapingConfigException>(() => ShapingConfig.Load([Write(text)]));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("none", DiceBaseline.None)]
    [InlineData("mean", DiceBaseline.Mean)]
    [InlineData("\"value\"", DiceBaseline.Value)]
    public void Lola_dice_reads_its_baseline(string text, DiceBaseline expected)
    {
        var config = ShapingConfig.Load([Write($"shaping.learners.lola-dice.baseline = {text}")]);
        Assert.Equal(expected, config.LearnerSettings("lola-dice", config.Game("ipd")).Baseline);
    }

    [Fact]
    public void Unknown_game_and_learner_names_list_the_known_ones()
    {
        var config = ShapingConfig.Default();
        Assert.Contains("known games: ipd", Assert.Throws<ShapingConfigException>(() => config.Game("pd")).Message);
        Assert.Contains("lola-dice", Assert.Throws<ShapingConfigException>(() => config.CreateLearner("lol", config.Game("ipd"))).Message);
    }

    [Fact]
    public void Missing_config_file_is_named()
    {
        var error = Assert.Throws<ShapingConfigException>(() => ShapingConfig.Load(["/nonexistent/x.conf"]));
        Assert.Contains("/nonexistent/x.conf", error.Message);
    }
}
