using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Host.Play;

/// <summary>
/// Passes a player through unchanged and keeps a copy of every per-game reward [B] the referee sends it, one array
/// per step, so that `play` can report per-game figures (the referee itself keeps only the per-step means).
/// </summary>
public sealed class RewardRecorder(IMatchPlayer player) : IMatchPlayer
{
    private readonly List<float[]> _rewards = [];

    /// <summary>The rewards heard so far, step by step.</summary>
    public IReadOnlyList<float[]> Rewards => _rewards;

    public string Name => player.Name;

    public float[] Begin() => player.Begin();

    public float[] Choose(float[] opponentPrevious, float[]? reward)
    {
        if (reward is not null) _rewards.Add([.. reward]);
        return player.Choose(opponentPrevious, reward);
    }

    public void Finish(float[] reward)
    {
        _rewards.Add([.. reward]);
        player.Finish(reward);
    }

    public void Dispose() => player.Dispose();
}
