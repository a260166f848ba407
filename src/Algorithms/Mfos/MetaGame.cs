using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// Plays meta-episodes of M-FOS on a batch of games, in the reference's step order (mfos.md §2.1, §4, §10).
/// Against an inner learner (M-FOS at the column seat, the learner at the row seat, as the reference's th1/th0):
/// both start N(0, 1) (or the learner's own start) and the learner first takes one step against M-FOS's random
/// policy, unrecorded; then each meta-step M-FOS picks its inner policy from σ([its last policy, the learner's
/// pre-update policy]), both are valued exactly, and the learner takes its step. In self-play both M-FOS agents
/// pick simultaneously from σ([own, other]) and are valued at the new pair (agent 0 at the row seat).
/// Rewards are the game's per-step rewards (discounted return × reward scale).
/// </summary>
public sealed class MetaGame(MatrixGame game)
{
    private readonly ExactValueKernel _kernel = new(game);

    public MatrixGame Game { get; } = game;

    /// <summary>One meta-episode of <paramref name="agent"/> against a fresh <paramref name="opponent"/>.</summary>
    public MetaEpisode VersusLearner(MfosAgent agent, IInnerLearner opponent, int batch, int steps, Generator environment, Generator acting)
    {
        var trajectory = new MetaTrajectory();
        double opponentTotal = 0;
        // Every tensor lives in a dispose scope and is freed on this thread: see NativeTensors for why.
        using var episode = NewDisposeScope();
        var theirs = opponent.InitialPolicy(batch, environment);
        var mine = PolicyTensors.StandardNormal(batch, Game.PolicySize, environment);
        var before = theirs;
        theirs = opponent.Step(theirs, mine, Seat.Row, environment);
        var state = MfosAgent.Observe(mine, before);
        before.Dispose();
        mine.Dispose();
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            var (action, logProb) = agent.Act(state, acting);
            var (opponentReward, reward) = Rewards(theirs, action);
            opponentTotal += opponentReward.mean().item<float>();
            trajectory.Add(state, action, logProb, reward);
            var next = opponent.Step(theirs, action, Seat.Row, environment);
            PolicyGuard.CheckFinite(next, $"M-FOS's opponent '{opponent.Name}'");
            state.Dispose();
            state = MfosAgent.Observe(action, theirs).MoveToOuterDisposeScope();
            theirs.Dispose();
            theirs = next.MoveToOuterDisposeScope();
        }
        state.Dispose();
        theirs.Dispose();
        return new MetaEpisode([trajectory], [trajectory.MeanReward(), opponentTotal / steps]);
    }

    /// <summary>One self-play meta-episode: <paramref name="row"/> at the row seat, <paramref name="col"/> at the column seat.</summary>
    public MetaEpisode SelfPlay(MfosAgent row, MfosAgent col, int batch, int steps, Generator environment, Generator rowActing, Generator colActing)
    {
        var rowTrajectory = new MetaTrajectory();
        var colTrajectory = new MetaTrajectory();
        using var episode = NewDisposeScope();
        var rowPolicy = PolicyTensors.StandardNormal(batch, Game.PolicySize, environment);
        var colPolicy = PolicyTensors.StandardNormal(batch, Game.PolicySize, environment);
        for (int t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            var rowState = MfosAgent.Observe(rowPolicy, colPolicy);
            var colState = MfosAgent.Observe(colPolicy, rowPolicy);
            var (rowAction, rowLogProb) = row.Act(rowState, rowActing);
            var (colAction, colLogProb) = col.Act(colState, colActing);
            var (rowReward, colReward) = Rewards(rowAction, colAction);
            rowTrajectory.Add(rowState, rowAction, rowLogProb, rowReward);
            colTrajectory.Add(colState, colAction, colLogProb, colReward);
            rowPolicy.Dispose();
            colPolicy.Dispose();
            rowPolicy = rowAction.MoveToOuterDisposeScope();
            colPolicy = colAction.MoveToOuterDisposeScope();
        }
        rowPolicy.Dispose();
        colPolicy.Dispose();
        return new MetaEpisode([rowTrajectory, colTrajectory], [rowTrajectory.MeanReward(), colTrajectory.MeanReward()]);
    }

    /// <summary>Per-game rewards [B] of the row and column policies.</summary>
    private (Tensor Row, Tensor Col) Rewards(Tensor row, Tensor col)
    {
        var eval = _kernel.Evaluate(PolicyTensors.ToArray(row), PolicyTensors.ToArray(col), (int)row.shape[0]);
        float scale = (float)Game.RewardScale;
        return (NativeTensors.Of(eval.Value(Seat.Row)) * scale, NativeTensors.Of(eval.Value(Seat.Col)) * scale);
    }
}

/// <summary>A finished meta-episode: the M-FOS trajectories it produced and each side's mean reward per step.</summary>
public sealed record MetaEpisode(MetaTrajectory[] Trajectories, double[] Rewards) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Trajectories) t.Dispose();
    }
}
