using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// Û, the learned correction of the meta-value, on plain arrays in the game's units. Reconstruction (meva.md §3):
/// V(x) = f(x) + γ·U(x) with U(x) = V(x'), x' = x + α∇̄V(x) the greedy successor, so the MeVa step is
/// x ← x + α(∇̄f + γ∇̄U) with the exact naive gradient ∇̄f, and U(x) = f(x') + γU(x').
/// The network predicts U normalised to the game's reward per step: U = m·n(x) / ((1 − γ)·s), with n the network's
/// output, m the game's largest |payoff| and s its reward scale (1 − γ_game for iterated games, 1 for one-shot), so
/// n stays of order one for any γ and game and its TD equation becomes the averaged
/// n(x) = [(1 − γ)·s·f(x') + γ·m·n(x')] / m. Both players' values come from the same network, each from its own side.
/// </summary>
public sealed class MetaValue(MetaValueNetwork network, MatrixGame game)
{
    public MetaValueNetwork Network => network;

    public MatrixGame Game => game;

    /// <summary>m: the game's largest |payoff| (3 in the IPD, 1 in IMP, 100 in chicken).</summary>
    public double PayoffScale { get; } = game.RowPayoff.Concat(game.ColPayoff).Max(p => Math.Abs((double)p)) is var m && m > 0 ? m : 1;

    /// <summary>γ·∂U/∂n = γ m / ((1 − γ) s): the factor from the network's input-gradient to the correction γ∇U in
    /// the units of the unscaled return's gradient.</summary>
    public float CorrectionFactor(double discount) => (float)(discount * PayoffScale / ((1 - discount) * game.RewardScale));

    /// <summary>Whether the players' roles are the same game seen from either side (col payoffs = row payoffs with
    /// CD and DC swapped: IPD, chicken); otherwise (IMP) Û needs to know the seat.</summary>
    public static bool Symmetric(MatrixGame game) =>
        game.ColPayoff.SequenceEqual(new[] { game.RowPayoff[0], game.RowPayoff[2], game.RowPayoff[1], game.RowPayoff[3] });

    /// <summary>∂n/∂own [n·d] for one seat's players (own and other are [count, d] logits from their own sides).</summary>
    public float[] OwnGradient(float[] own, float[] other, int count, Seat seat, float[] discounts)
    {
        using var scope = NewDisposeScope();
        var (ownT, otherT, seatT, discountT) = Inputs(own, other, count, seat, discounts);
        ownT.requires_grad_(true);
        var output = network.Forward(ownT, otherT, seatT, discountT);
        return PolicyTensors.ToArray(Autodiff.Grad(output.sum(), [ownT])[0]);
    }

    /// <summary>Both players' ∂n_i/∂x_i [count·d] at joint states (rows, cols), each from its own side.</summary>
    public (float[] Row, float[] Col) JointGradients(float[] rows, float[] cols, int count, float[] discounts)
    {
        using var scope = NewDisposeScope();
        var (own, other, seat, discount) = JointInputs(rows, cols, count, discounts);
        // The own slots are one leaf and the other slots constants: the gradient w.r.t. the leaf is each player's
        // derivative of its own value w.r.t. its own policy, never the derivative of the sum of both players' values.
        own.requires_grad_(true);
        var output = network.Forward(own, other, seat, discount);
        var grad = Autodiff.Grad(output.sum(), [own])[0];
        return (PolicyTensors.ToArray(grad.narrow(0, 0, count)), PolicyTensors.ToArray(grad.narrow(0, count, count)));
    }

    /// <summary>Both players' outputs n [2·count] (row players then column players), in the caller's dispose scope and
    /// attached to the network's parameters.</summary>
    public Tensor JointOutputs(float[] rows, float[] cols, int count, float[] discounts)
    {
        var (own, other, seat, discount) = JointInputs(rows, cols, count, discounts);
        return network.Forward(own, other, seat, discount);
    }

    private (Tensor Own, Tensor Other, Tensor Seat, Tensor Discount) Inputs(float[] own, float[] other, int count, Seat seat, float[] discounts)
    {
        int d = game.PolicySize;
        return (NativeTensors.Of(own, count, d), NativeTensors.Of(other, count, d),
            full(count, seat == Seat.Row ? 1f : -1f), NativeTensors.Of(discounts, count));
    }

    private (Tensor Own, Tensor Other, Tensor Seat, Tensor Discount) JointInputs(float[] rows, float[] cols, int count, float[] discounts)
    {
        int d = game.PolicySize;
        var row = NativeTensors.Of(rows, count, d);
        var col = NativeTensors.Of(cols, count, d);
        var discount = NativeTensors.Of(discounts, count);
        return (cat([row, col], 0), cat([col, row], 0), cat([full(count, 1f), full(count, -1f)], 0), cat([discount, discount], 0));
    }
}
