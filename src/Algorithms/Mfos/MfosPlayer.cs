using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// An M-FOS agent in one match: it starts from N(0, 1) logits, and each step samples its next inner policy from its
/// meta-policy given σ([its previous policy, the opponent's previous policy]), recording the trajectory it will
/// learn from. Learning is the member's (<see cref="MfosAgent.Learn(ShapingCluster.Algorithms.Matches.IMatchPlayer)"/>), after the match.
/// </summary>
public sealed class MfosPlayer(string name, MfosAgent agent, int batch, int policySize, ulong seed) : IMatchPlayer
{
    private readonly Generator _generator = new(seed);
    private float[] _own = [];

    public string Name => name;
    public MfosAgent Agent => agent;
    public MetaTrajectory Trajectory { get; } = new(batch, policySize);

    public float[] Begin()
    {
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var scope = NewDisposeScope();
        _own = PolicyTensors.ToArray(PolicyTensors.StandardNormal(batch, policySize, _generator));
        return _own;
    }

    public float[] Choose(float[] opponentPrevious, float[]? reward)
    {
        if (reward is not null) Trajectory.AddReward(reward);
        var state = MfosAgent.Observe(_own, opponentPrevious, batch);
        (_own, var logProb) = agent.Act(state, batch, _generator);
        Trajectory.AddDecision(state, _own, logProb);
        return _own;
    }

    public void Finish(float[] reward) => Trajectory.AddReward(reward);

    public void Dispose() => _generator.Dispose();
}
