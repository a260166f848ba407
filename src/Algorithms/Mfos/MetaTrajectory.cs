using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// One meta-episode from one agent's side: per meta-step the meta-states [B, 2d], the actions (inner policies)
/// [B, d], their log-probabilities [B] under the acting policy, and the rewards [B]. Detached, owned here.
/// </summary>
public sealed class MetaTrajectory : IDisposable
{
    private readonly List<Tensor> _states = [], _actions = [], _logProbs = [], _rewards = [];

    public int Steps => _rewards.Count;

    public void Add(Tensor state, Tensor action, Tensor logProb, Tensor reward)
    {
        _states.Add(state.detach().clone().DetachFromDisposeScope());
        _actions.Add(action.detach().clone().DetachFromDisposeScope());
        _logProbs.Add(logProb.detach().clone().DetachFromDisposeScope());
        _rewards.Add(reward.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>Stacked [T, B, ...] tensors, in the caller's dispose scope.</summary>
    public (Tensor States, Tensor Actions, Tensor LogProbs, Tensor Rewards) Stacked() =>
        (stack(_states), stack(_actions), stack(_logProbs), stack(_rewards));

    /// <summary>Mean reward per meta-step and game.</summary>
    public double MeanReward()
    {
        using var scope = NewDisposeScope();
        return stack(_rewards).mean().item<float>();
    }

    /// <summary>Mean P(C) of the actions (inner policies) per logit over steps and games, e.g. start, CC, CD, DC, DD.</summary>
    public double[] MeanCooperation()
    {
        using var scope = NewDisposeScope();
        return stack(_actions).sigmoid().mean([0, 1]).to(ScalarType.Float64).data<double>().ToArray();
    }

    public void Dispose()
    {
        foreach (var t in _states.Concat(_actions).Concat(_logProbs).Concat(_rewards)) t.Dispose();
        _states.Clear(); _actions.Clear(); _logProbs.Clear(); _rewards.Clear();
    }
}
