using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Sampled play of a batch of games: R roll-outs of length L per game. Tensors are [B, R, L]; actions are 0 (C) or
/// 1 (D); log-probabilities stay attached to the policies' graph so estimators can differentiate them; states are
/// the index of the logit each side used (0 = start, 1 + own-perspective joint state).
/// </summary>
public sealed record Rollout(
    Tensor RowActions, Tensor ColActions,
    Tensor RowRewards, Tensor ColRewards,
    Tensor RowLogProbs, Tensor ColLogProbs,
    Tensor RowStates, Tensor ColStates,
    double Discount) : IDisposable
{
    public Tensor Actions(Seat seat) => seat == Seat.Row ? RowActions : ColActions;
    public Tensor Rewards(Seat seat) => seat == Seat.Row ? RowRewards : ColRewards;
    public Tensor LogProbs(Seat seat) => seat == Seat.Row ? RowLogProbs : ColLogProbs;
    public Tensor States(Seat seat) => seat == Seat.Row ? RowStates : ColStates;

    /// <summary>γ^t for t = 0..L−1, shaped [L].</summary>
    public Tensor Discounts()
    {
        long length = RowRewards.shape[2];
        return pow(tensor((float)Discount), arange(length, dtype: ScalarType.Float32));
    }

    public void Dispose()
    {
        foreach (var t in new[] { RowActions, ColActions, RowRewards, ColRewards, RowLogProbs, ColLogProbs, RowStates, ColStates })
            t.Dispose();
    }
}
