using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>Where a learner's policy starts: a fixed vector for every game if configured, else drawn per game from
/// the settings' <see cref="StartDistribution"/>.</summary>
internal static class InitialPolicies
{
    public static Tensor Draw(MatrixGame game, LearnerSettings settings, int batch, Generator generator)
    {
        if (settings.InitialLogits.Length == 0)
            return settings.Start switch
            {
                StartDistribution.Normal => PolicyTensors.StandardNormal(batch, game.PolicySize, generator),
                StartDistribution.Zeros => zeros(batch, game.PolicySize),
                StartDistribution.Uniform => rand(batch, game.PolicySize, generator: generator) * 2 - 1,
                _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Start, "unknown start distribution"),
            };
        if (settings.InitialLogits.Length != game.PolicySize)
            throw new ArgumentException(
                $"game '{game.Name}': initial logits need {game.PolicySize} values, got {settings.InitialLogits.Length}");
        using var scope = NewDisposeScope();
        var init = NativeTensors.Of(settings.InitialLogits);
        return init.unsqueeze(0).expand(batch, game.PolicySize).contiguous().MoveToOuterDisposeScope();
    }
}
