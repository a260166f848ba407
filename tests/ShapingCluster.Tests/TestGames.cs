using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;

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

    /// <summary>A match between two fresh inner learners through the shared match loop.</summary>
    public static MatchResult Play(MatrixGame game, IInnerLearner row, IInnerLearner col, int batch, int steps, long seed)
    {
        using var rowPlayer = new InnerLearnerPlayer(row, Seat.Row, batch, game.PolicySize, Seeds.Derive(seed, 0, 0));
        using var colPlayer = new InnerLearnerPlayer(col, Seat.Col, batch, game.PolicySize, Seeds.Derive(seed, 0, 1));
        return Match.Play(new MatchReferee(game, batch, steps), rowPlayer, colPlayer);
    }

    public static IEnumerable<object[]> All() => Defaults.Games.Keys.Select(name => new object[] { name });
}
