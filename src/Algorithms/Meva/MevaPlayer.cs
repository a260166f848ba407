using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// A MeVa member in one match: it starts from N(0, 1) logits and every step takes the MeVa step
/// x ← x + α(∇f + γ∇Û) from the previous joint policy, the naive gradient exact from the game kernel and ∇Û the
/// member's current network (read, never changed). Playing to learn, it explores and records the joint states it
/// saw, for the member to learn from after the match: each game's correction is sign-flipped (Û's last layer
/// negated) with probability `flip-probability`, drawn afresh every `segment` steps, and N(0, noise²) is added to
/// every step. Playing to be evaluated it does neither.
/// </summary>
public sealed class MevaPlayer : IMatchPlayer
{
    private readonly MevaAgent _agent;
    private readonly Seat _seat;
    private readonly int _batch, _policySize;
    private readonly Generator _generator;
    private readonly float[] _signs;
    private readonly float _factor;
    private float[] _own = [];
    private int _steps;
    private double _naiveNorm, _correctionNorm;

    public MevaPlayer(string name, MevaAgent agent, Seat seat, int batch, ulong seed, bool learning)
    {
        Name = name;
        _agent = agent;
        _seat = seat;
        _batch = batch;
        _policySize = agent.Game.PolicySize;
        Seed = seed;
        Learning = learning;
        _generator = new Generator(seed);
        _signs = Enumerable.Repeat(1f, batch).ToArray();
        _factor = agent.Online.CorrectionFactor(agent.Settings.Discount);
    }

    public string Name { get; }
    public MevaAgent Agent => _agent;
    public ulong Seed { get; }
    public bool Learning { get; }

    /// <summary>The joint states (row logits, column logits) each step was taken from, when playing to learn.</summary>
    public List<(float[] Rows, float[] Cols)> Visited { get; } = [];

    /// <summary>How much Û bent the play: mean ‖γ∇Û‖ / mean ‖∇f‖ over the steps taken (0 when Û ≡ 0 or γ = 0).</summary>
    public double CorrectionShare => _naiveNorm > 0 ? _correctionNorm / _naiveNorm : 0;

    public float[] Begin()
    {
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var scope = NewDisposeScope();
        _own = PolicyTensors.ToArray(PolicyTensors.StandardNormal(_batch, _policySize, _generator));
        return _own;
    }

    public float[] Choose(float[] opponentPrevious, float[]? reward)
    {
        var (rows, cols) = _seat == Seat.Row ? (_own, opponentPrevious) : (opponentPrevious, _own);
        if (Learning)
        {
            // Our own arrays are never changed once returned; the opponent's are copied in case its side reuses them.
            Visited.Add(_seat == Seat.Row ? (rows, (float[])cols.Clone()) : ((float[])rows.Clone(), cols));
            if (_steps % _agent.Settings.ExplorationSegment == 0) DrawSigns();
        }
        var naive = _agent.Kernel.Evaluate(rows, cols, _batch).Gradient(_seat, _seat);
        var discounts = new float[_batch];
        Array.Fill(discounts, (float)_agent.Settings.Discount);
        var correction = _agent.Online.OwnGradient(_own, opponentPrevious, _batch, _seat, discounts);
        var factor = new float[_batch];
        for (int b = 0; b < _batch; b++) factor[b] = _signs[b] * _factor;
        var next = MevaStep.Apply(_own, naive, correction, factor, _policySize, (float)_agent.Settings.LearningRate);
        if (Learning && _agent.Settings.Noise > 0)
        {
            using var scope = NewDisposeScope();
            var noise = PolicyTensors.ToArray(randn(_batch, _policySize, generator: _generator));
            float sigma = (float)_agent.Settings.Noise;
            for (int i = 0; i < next.Length; i++) next[i] += sigma * noise[i];
        }
        Tally(naive, correction);
        PolicyGuard.CheckFinite(next, $"MeVa player '{Name}'");
        _own = next;
        _steps++;
        return _own;
    }

    public void Finish(float[] reward) { }

    private void DrawSigns()
    {
        if (_agent.Settings.FlipProbability <= 0) return;
        using var scope = NewDisposeScope();
        var draws = PolicyTensors.ToArray(rand(_batch, 1, generator: _generator));
        for (int b = 0; b < _batch; b++) _signs[b] = draws[b] < _agent.Settings.FlipProbability ? -1f : 1f;
    }

    private void Tally(float[] naive, float[] correction)
    {
        double n = 0, c = 0;
        for (int i = 0; i < naive.Length; i++)
        {
            n += naive[i] * (double)naive[i];
            c += correction[i] * (double)correction[i];
        }
        _naiveNorm += Math.Sqrt(n);
        _correctionNorm += Math.Abs(_factor) * Math.Sqrt(c);
    }

    public void Dispose() => _generator.Dispose();
}
