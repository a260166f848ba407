using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Matches;

/// <summary>
/// A fresh inner learner (NL, LOLA, M-MAML, a fixed strategy...) in one match: it starts from the learner's initial
/// policy and each step takes the learner's step from the previous joint policy. It owns its generator.
/// </summary>
public sealed class InnerLearnerPlayer(IInnerLearner learner, Seat seat, int batch, int policySize, ulong seed) : IMatchPlayer
{
    private readonly Generator _generator = new(seed);
    private float[] _own = [];

    public string Name => learner.Name;

    public float[] Begin()
    {
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var scope = NewDisposeScope();
        _own = PolicyTensors.ToArray(learner.InitialPolicy(batch, _generator));
        return _own;
    }

    public float[] Choose(float[] opponentPrevious, float[]? reward)
    {
        var next = learner.Step(_own, opponentPrevious, batch, seat, _generator);
        if (next.Length != batch * policySize)
            throw new InvalidOperationException($"learner '{learner.Name}' returned {next.Length} logits, expected {batch} × {policySize}");
        PolicyGuard.CheckFinite(next, $"learner '{learner.Name}'");
        _own = next;
        return _own;
    }

    public void Finish(float[] reward) { }

    public void Dispose() => _generator.Dispose();
}
