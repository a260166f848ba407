using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>
/// A player that never learns. <c>static</c> keeps the policy it starts with (N(0, 1) logits per game, or the
/// configured initial logits, as the learners start); the named strategies play a
/// fixed memory-one policy, given as P(C) for start, CC, CD, DC, DD from the player's own side.
/// </summary>
public sealed class FixedStrategy : IInnerLearner
{
    // Saturates float32's sigmoid to exactly 0 or 1, so these strategies are pure.
    private const float Certain = 30f;

    private readonly MatrixGame _game;
    private readonly float[]? _logits;
    private readonly LearnerSettings _settings;

    private FixedStrategy(string name, MatrixGame game, float[]? logits, LearnerSettings? settings = null)
    {
        Name = name;
        _game = game;
        _logits = logits;
        _settings = settings ?? new LearnerSettings();
    }

    public string Name { get; }

    /// <summary>Keeps its initial policy for the whole match.</summary>
    public static FixedStrategy Static(MatrixGame game, LearnerSettings? settings = null) => new("static", game, null, settings);

    /// <summary>Cooperates first, then copies the opponent's last action (own-first states: CC→C, CD→D, DC→C, DD→D).</summary>
    public static FixedStrategy TitForTat(MatrixGame game) => Pure("tft", game, [1, 1, 0, 1, 0]);
    public static FixedStrategy AlwaysCooperate(MatrixGame game) => Pure("allc", game, [1, 1, 1, 1, 1]);
    public static FixedStrategy AlwaysDefect(MatrixGame game) => Pure("alld", game, [0, 0, 0, 0, 0]);
    public static FixedStrategy Random(MatrixGame game) => new("random", game, new float[game.PolicySize]);

    private static FixedStrategy Pure(string name, MatrixGame game, float[] cooperate) =>
        new(name, game, cooperate.Take(game.PolicySize).Select(c => c > 0.5f ? Certain : -Certain).ToArray());

    public Tensor InitialPolicy(int batch, Generator generator)
    {
        if (_logits is null) return InitialPolicies.Draw(_game, _settings, batch, generator);
        using var scope = NewDisposeScope();
        var row = NativeTensors.Of(_logits);
        return row.unsqueeze(0).expand(batch, _game.PolicySize).contiguous().MoveToOuterDisposeScope();
    }

    public Tensor Step(Tensor own, Tensor opponent, Seat seat, Generator generator)
    {
        using var scope = NewDisposeScope();
        return own.detach().clone().MoveToOuterDisposeScope();
    }
}
