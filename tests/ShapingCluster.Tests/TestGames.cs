using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Training;

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

    /// <summary>The defaults with <paramref name="overrides"/> (HOCON) over them, torch configured.</summary>
    public static ShapingConfig With(params string[] overrides)
    {
        var config = ShapingConfig.Default(overrides);
        config.ApplyTorchSettings();
        return config;
    }

    /// <summary>The defaults with M-FOS members of the given network width and Adam rate.</summary>
    public static ShapingConfig Mfos(int hidden, double learningRate) =>
        With(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"shaping.learners.mfos.ppo {{ hidden = {hidden}, learning-rate = {learningRate:R} }}"));

    /// <summary>Population members of kind mfos: mfos-0 .. mfos-(count−1).</summary>
    public static List<Algorithms.Population.MemberSpec> MfosMembers(int count) =>
        Enumerable.Range(0, count).Select(i => new Algorithms.Population.MemberSpec($"mfos-{i}", "mfos", LearnsAcrossMatches: true)).ToList();

    /// <summary>A training run of <paramref name="experiment"/> with kinds configured by <paramref name="config"/>.</summary>
    public static MemberTraining Training(Experiment experiment, ShapingConfig config)
    {
        var game = config.Game(experiment.Game);
        return new MemberTraining(experiment, game, kind => config.MemberFactory(kind, game));
    }

    public static IEnumerable<object[]> All() => Defaults.Games.Keys.Select(name => new object[] { name });
}
