using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>Checked flat copies of both policies for the exact kernel: own logits, opponent logits, batch size.</summary>
internal static class ExactStepInputs
{
    public static (float[] Own, float[] Opponent, int Batch) Read(MatrixGame game, Tensor own, Tensor opponent, string learner)
    {
        PolicyGuard.CheckPair(game, own, opponent);
        var x = PolicyTensors.ToArray(own);
        var y = PolicyTensors.ToArray(opponent);
        PolicyGuard.CheckFinite(x, learner);
        PolicyGuard.CheckFinite(y, $"{learner}'s opponent");
        return (x, y, (int)own.shape[0]);
    }
}
