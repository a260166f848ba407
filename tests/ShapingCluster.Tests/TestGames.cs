using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;

namespace ShapingCluster.Tests;

/// <summary>The shipped games, read from the shipped configuration (so the tests cover hocon/games.conf).</summary>
public static class TestGames
{
    private static readonly Lazy<ShapingConfig> Config = new(() =>
    {
        var config = ShapingConfig.Default();
        config.ApplyTorchSettings();
        return config;
    });

    public static ShapingConfig Defaults => Config.Value;

    public static MatrixGame Get(string name) => Defaults.Game(name);

    public static IEnumerable<object[]> All() => Defaults.Games.Keys.Select(name => new object[] { name });
}
