using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// One meta-episode from one agent's side: per meta-step the meta-states [B, 2d], the actions (inner policies)
/// [B, d], their log-probabilities [B] under the acting policy, and the rewards [B]. Kept as managed arrays, so a
/// trajectory can be built across many messages on any thread and holds no native memory until the update.
/// </summary>
public sealed class MetaTrajectory(int batch, int policySize)
{
    private readonly List<float[]> _states = [], _actions = [], _logProbs = [], _rewards = [];

    public int Batch => batch;
    public int PolicySize => policySize;
    public int Steps => _rewards.Count;

    /// <summary>Records a decision; its reward follows with <see cref="AddReward"/>.</summary>
    public void AddDecision(float[] state, float[] action, float[] logProb)
    {
        if (_states.Count != _rewards.Count) throw new InvalidOperationException("the previous decision has no reward yet");
        Require(state, batch * 2 * policySize, "state");
        Require(action, batch * policySize, "action");
        Require(logProb, batch, "log-probability");
        _states.Add(state); _actions.Add(action); _logProbs.Add(logProb);
    }

    public void AddReward(float[] reward)
    {
        if (_rewards.Count >= _states.Count) throw new InvalidOperationException("a reward without a decision");
        Require(reward, batch, "reward");
        _rewards.Add(reward);
    }

    /// <summary>Stacked [T, B, ...] tensors of the rewarded steps, in the caller's dispose scope.</summary>
    public (Tensor States, Tensor Actions, Tensor LogProbs, Tensor Rewards) Stacked()
    {
        int steps = Steps;
        return (NativeTensors.Stack(_states.Take(steps), steps, batch, 2 * policySize),
            NativeTensors.Stack(_actions.Take(steps), steps, batch, policySize),
            NativeTensors.Stack(_logProbs.Take(steps), steps, batch),
            NativeTensors.Stack(_rewards, steps, batch));
    }

    /// <summary>The rewarded steps' meta-states [T·B, 2d], actions [T·B, d] and log-probabilities [T·B], step-major,
    /// as single arrays.</summary>
    public (float[] States, float[] Actions, float[] LogProbs) Flattened()
    {
        int steps = Steps;
        return (Concatenate(_states, steps), Concatenate(_actions, steps), Concatenate(_logProbs, steps));
    }

    private static float[] Concatenate(List<float[]> items, int count)
    {
        var result = new float[items.Take(count).Sum(i => (long)i.Length)];
        int offset = 0;
        foreach (var item in items.Take(count))
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }
        return result;
    }

    private static void Require(float[] values, int length, string what)
    {
        if (values.Length != length) throw new ArgumentException($"trajectory {what} has {values.Length} values, expected {length}");
    }
}
