using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>Puts (own, other) policies into the game's (row, col) order and back.</summary>
internal static class Seating
{
    public static Rollout Play(SampledGame game, Tensor own, Tensor other, Seat seat, LearnerSettings settings, Generator generator) =>
        seat == Seat.Row
            ? game.Play(own, other, settings.Rollouts, settings.RolloutLength, generator)
            : game.Play(other, own, settings.Rollouts, settings.RolloutLength, generator);
}
