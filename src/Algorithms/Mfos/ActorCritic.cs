using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// M-FOS's network (mfos.md §3): separate actor Linear(2d→h)–Tanh–Linear(h→2d), whose first d outputs are the mean
/// of the next inner policy's logits and last d, through softplus, its variance; and critic Linear(2d→h)–Tanh–
/// Linear(h→1). Initialised like PyTorch's Linear (U(±1/√fan_in)) from the given generator, so runs are repeatable.
/// </summary>
public sealed class ActorCritic : nn.Module
{
    private readonly Linear _actorIn, _actorOut, _criticIn, _criticOut;

    public ActorCritic(int policySize, int hidden, Generator generator) : base(nameof(ActorCritic))
    {
        PolicySize = policySize;
        _actorIn = nn.Linear(2 * policySize, hidden);
        _actorOut = nn.Linear(hidden, 2 * policySize);
        _criticIn = nn.Linear(2 * policySize, hidden);
        _criticOut = nn.Linear(hidden, 1);
        RegisterComponents();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var layer in new[] { _actorIn, _actorOut, _criticIn, _criticOut })
        {
            double bound = 1 / Math.Sqrt(layer.in_features);
            layer.weight!.copy_(rand(layer.weight.shape, generator: generator) * (2 * bound) - bound);
            layer.bias!.copy_(rand(layer.bias.shape, generator: generator) * (2 * bound) - bound);
        }
    }

    public int PolicySize { get; }

    /// <summary>Mean and variance [N, d] of the next inner policy given meta-states [N, 2d].</summary>
    public (Tensor Mean, Tensor Variance) Policy(Tensor state)
    {
        using var hidden = _actorIn.forward(state).tanh_();
        using var output = _actorOut.forward(hidden);
        return (output.narrow(-1, 0, PolicySize), nn.functional.softplus(output.narrow(-1, PolicySize, PolicySize)));
    }

    /// <summary>State values [N].</summary>
    public Tensor Value(Tensor state)
    {
        using var hidden = _criticIn.forward(state).tanh_();
        return _criticOut.forward(hidden).squeeze(-1);
    }
}
