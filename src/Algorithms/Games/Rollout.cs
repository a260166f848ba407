using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// Sampled play of a batch of games: R roll-outs of length L per game. Tensors are [B, R, L]. Each side's draws are
/// stored as 2·state + action (state: the index of the logit the side used, 0 = start, 1 + own-perspective joint
/// state; action 0 = C, 1 = D); log-probabilities stay attached to the policies' graph so estimators can
/// differentiate them.
/// </summary>
public sealed class Rollout(
    Tensor rowDraws, Tensor colDraws,
    Tensor rowRewards, Tensor colRewards,
    Tensor rowLogProbs, Tensor colLogProbs,
    double discount) : IDisposable
{
    public Tensor RowRewards => rowRewards;
    public Tensor ColRewards => colRewards;
    public Tensor RowLogProbs => rowLogProbs;
    public Tensor ColLogProbs => colLogProbs;
    public double Discount => discount;

    public Tensor Rewards(Seat seat) => seat == Seat.Row ? rowRewards : colRewards;
    public Tensor LogProbs(Seat seat) => seat == Seat.Row ? rowLogProbs : colLogProbs;

    // Actions and states are decoded on request (a new tensor in the caller's dispose scope each call): the DiCE
    // objectives need neither, and decoding both sides costs four [B, R, L] passes per roll-out.

    /// <summary>The actions [B, R, L] (0 = C, 1 = D) of <paramref name="seat"/>.</summary>
    public Tensor Actions(Seat seat) => Draws(seat).bitwise_and(1);

    /// <summary>The states [B, R, L] in which <paramref name="seat"/> acted (the index of the logit it used).</summary>
    public Tensor States(Seat seat) => Draws(seat).bitwise_right_shift(1);

    /// <summary>γ^t for t = 0..L−1, shaped [L].</summary>
    public Tensor Discounts()
    {
        long length = rowRewards.shape[2];
        return pow(tensor((float)discount), arange(length, dtype: ScalarType.Float32));
    }

    private Tensor Draws(Seat seat) => seat == Seat.Row ? rowDraws : colDraws;

    public void Dispose()
    {
        foreach (var t in new[] { rowDraws, colDraws, rowRewards, colRewards, rowLogProbs, colLogProbs }) t.Dispose();
    }
}
