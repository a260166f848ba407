using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// Û's network: one player's correction of its meta-value, from that player's side of the joint policy. Input
/// [σ(own logits), σ(other logits)] (M-FOS's meta-state), then the seat (+1 row, −1 column) in games whose roles
/// differ, then γ under variable discounting; `layers` tanh layers of `hidden` units (tanh: the player follows the
/// input-gradient, which a smooth network keeps smooth); one linear output. The output is dimensionless, about the
/// game's largest |payoff| per unit (<see cref="MetaValue"/> scales it). One network serves both seats, so both
/// players of a self-play game use the same Û. Initialised like PyTorch's Linear, U(±1/√fan_in), from the given
/// generator, so members are repeatable.
/// </summary>
public sealed class MetaValueNetwork : nn.Module
{
    private readonly ModuleList<Linear> _layers = new();

    public MetaValueNetwork(int policySize, int hidden, int layers, bool seatInput, bool discountInput, Generator generator)
        : base(nameof(MetaValueNetwork))
    {
        PolicySize = policySize;
        SeatInput = seatInput;
        DiscountInput = discountInput;
        int width = 2 * policySize + (seatInput ? 1 : 0) + (discountInput ? 1 : 0);
        for (int i = 0; i < layers; i++)
        {
            _layers.Add(nn.Linear(width, hidden));
            width = hidden;
        }
        _layers.Add(nn.Linear(width, 1));
        RegisterComponents();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var layer in _layers)
        {
            double bound = 1 / Math.Sqrt(layer.in_features);
            layer.weight!.copy_(rand(layer.weight.shape, generator: generator) * (2 * bound) - bound);
            layer.bias!.copy_(rand(layer.bias.shape, generator: generator) * (2 * bound) - bound);
        }
    }

    public int PolicySize { get; }
    public bool SeatInput { get; }
    public bool DiscountInput { get; }

    /// <summary>The output layer (exploration's sign flip and the tests' Û ≡ 0 are statements about it).</summary>
    public Linear Output => _layers[^1];

    /// <summary>Û's raw output [N] for players with logits <paramref name="own"/> [N, d] facing <paramref name="other"/>
    /// [N, d], seat signs [N] (+1 row, −1 column) and meta-discounts [N].</summary>
    public Tensor Forward(Tensor own, Tensor other, Tensor seat, Tensor discount)
    {
        var inputs = new List<Tensor> { own.sigmoid(), other.sigmoid() };
        if (SeatInput) inputs.Add(seat.unsqueeze(1));
        if (DiscountInput) inputs.Add(discount.unsqueeze(1));
        var h = cat(inputs, 1);
        for (int i = 0; i < _layers.Count - 1; i++) h = _layers[i].forward(h).tanh();
        return _layers[^1].forward(h).squeeze(1);
    }

    /// <summary>Copies <paramref name="source"/>'s parameters into this network (θ⁻ ← θ).</summary>
    public void CopyFrom(MetaValueNetwork source) => SmoothTowards(source, 1.0);

    /// <summary>θ⁻ ← (1 − τ)θ⁻ + τθ, parameter by parameter.</summary>
    public void SmoothTowards(MetaValueNetwork source, double tau)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (target, online) in parameters().Zip(source.parameters()))
        {
            if (tau >= 1) target.copy_(online);
            else target.mul_(1 - tau).add_(online, alpha: tau);
        }
    }
}
