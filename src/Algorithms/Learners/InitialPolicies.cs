using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>Where a learner's policy starts: a fixed vector for every game if configured, else N(0, 1) per game.</summary>
internal static class InitialPolicies
{
    public static Tensor Draw(MatrixGame game, LearnerSettings settings, int batch, Generator generator)
    {
        if (settings.InitialLogits.Length == 0) return PolicyTensors.StandardNormal(batch, game.PolicySize, generator);
        if (settings.InitialLogits.Length != game.PolicySize)
            throw new ArgumentException(
                $"game '{game.Name}': initial logits need {game.PolicySize} values, got {settings.InitialLogits.Length}");
        using var scope = NewDisposeScope();
        var init = NativeTensors.Of(settings.InitialLogits);
        return init.unsqueeze(0).expand(batch, game.PolicySize).contiguous().MoveToOuterDisposeScope();
    }
}
