using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Plays batched policies by sampling: every game in the batch is rolled out R times for L steps (one step for
/// one-shot games). The loop runs over time steps only; games and roll-outs are tensor dimensions.
/// </summary>
public sealed class SampledGame(MatrixGame game)
{
    // Own-perspective state of the column player for each joint state CC, CD, DC, DD (swaps CD and DC).
    private static readonly long[] ColStateOfJoint = [0, 2, 1, 3];

    public MatrixGame Game { get; } = game.Validated();

    public Rollout Play(Tensor row, Tensor col, int samples, int length, Generator? generator = null)
    {
        PolicyGuard.CheckPair(Game, row, col);
        if (samples < 1 || length < 1)
            throw new ArgumentException($"game '{Game.Name}': roll-outs need samples ≥ 1 and length ≥ 1");
        if (!Game.Iterated) length = 1;
        long batch = row.shape[0];
        using var scope = NewDisposeScope();
        var rowPayoff = NativeTensors.Of(Game.RowPayoff);
        var colPayoff = NativeTensors.Of(Game.ColPayoff);
        var colStateOfJoint = NativeTensors.Of(ColStateOfJoint);
        var rowLogits = row.unsqueeze(1).expand(batch, samples, Game.PolicySize);
        var colLogits = col.unsqueeze(1).expand(batch, samples, Game.PolicySize);
        var rowState = zeros(batch, samples, 1, dtype: ScalarType.Int64);
        var colState = zeros(batch, samples, 1, dtype: ScalarType.Int64);
        var steps = new List<(Tensor ra, Tensor ca, Tensor rr, Tensor cr, Tensor rl, Tensor cl, Tensor rs, Tensor cs)>();
        for (int t = 0; t < length; t++)
        {
            var (ra, rl) = Act(rowLogits.gather(2, rowState).squeeze(2), generator);
            var (ca, cl) = Act(colLogits.gather(2, colState).squeeze(2), generator);
            var joint = ra * 2 + ca;
            steps.Add((ra, ca, rowPayoff[joint], colPayoff[joint], rl, cl, rowState.squeeze(2), colState.squeeze(2)));
            rowState = (joint + 1).unsqueeze(2);
            colState = (colStateOfJoint[joint] + 1).unsqueeze(2);
        }
        Tensor Stack(Func<(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor), Tensor> pick) =>
            stack(steps.Select(s => pick(s)).ToArray(), 2).MoveToOuterDisposeScope();
        return new Rollout(
            Stack(s => s.Item1), Stack(s => s.Item2), Stack(s => s.Item3), Stack(s => s.Item4),
            Stack(s => s.Item5), Stack(s => s.Item6), Stack(s => s.Item7), Stack(s => s.Item8), Game.Discount);
    }

    /// <summary>Samples action 0 with probability sigmoid(logit); returns the actions and their log-probabilities.</summary>
    private static (Tensor Actions, Tensor LogProbs) Act(Tensor logits, Generator? generator)
    {
        Tensor uniform;
        using (no_grad()) uniform = rand(logits.shape, generator: generator);
        var defect = uniform.ge(logits.detach().sigmoid()).to(ScalarType.Int64);
        // log σ(l) for C, log σ(−l) for D, written as −softplus(∓l) for numerical safety.
        var sign = 1 - 2 * defect.to(ScalarType.Float32);
        var logProbs = -nn.functional.softplus(-sign * logits);
        return (defect, logProbs);
    }
}
