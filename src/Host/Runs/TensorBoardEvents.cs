using ShapingCluster.Algorithms.Training;
using TorchSharp;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// A run's TensorBoard scalars in DIR/tb/ (`tensorboard --logdir runs/` finds them), written by TorchSharp's own
/// <c>torch.utils.tensorboard.SummaryWriter</c>: TFRecord-framed <c>Event</c> protocol buffers with masked CRC32C
/// checksums, one event per scalar, appended and flushed as they come (a run watched live, or stopped, loses nothing
/// already written). Every process that writes starts a file of its own (a resumed run adds one; the episodes it plays
/// again then appear twice in TensorBoard, with the same values: TorchSharp's writer cannot mark a restart). The file
/// is created on the first scalar, so a node that never writes leaves nothing behind.
/// </summary>
public sealed class TensorBoardEvents(string runDirectory)
{
    public const string DirectoryName = "tb";

    private TorchSharp.Modules.SummaryWriter? _writer;

    public string Directory => Path.Combine(runDirectory, DirectoryName);

    /// <param name="step">TensorBoard's x axis (episode, round, matches done); must fit an int, as TorchSharp's writer takes one.</param>
    public void Scalar(string tag, double value, long step)
    {
        _writer ??= torch.utils.tensorboard.SummaryWriter(Directory);
        _writer.add_scalar(tag, (float)value, checked((int)step));
    }

    /// <summary>A training episode: rewards per side (and per side against this episode's opponent kind, as `shaping
    /// report` splits them), λ in self-play, what each member's learning reported (M-FOS: its PPO loss), side 0's
    /// cooperation per state, and the seconds the episode took.</summary>
    public void Episode(EpisodeRecord record, string kind)
    {
        int step = record.Episode;
        for (int side = 0; side < record.Sides.Length; side++)
        {
            Scalar($"reward/{record.Sides[side]}", record.Rewards[side], step);
            Scalar($"reward_vs_{record.Opponent}/{record.Sides[side]}", record.Rewards[side], step);
        }
        if (!double.IsNaN(record.Lambda)) Scalar("lambda", record.Lambda, step);
        for (int member = 0; member < record.Learning.Count; member++)
            foreach (var (metric, value) in record.Learning[member].Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                Scalar($"learning/{kind}-{member}/{metric}", value, step);
        var states = RunDirectory.CooperationStates(record);
        for (int s = 0; s < states.Length; s++) Scalar($"cooperation/{states[s]}", record.Cooperation[s], step);
        Scalar("seconds/episode", record.RolloutSeconds + record.UpdateSeconds, step);
        Scalar("seconds/rollout", record.RolloutSeconds, step);
        Scalar("seconds/update", record.UpdateSeconds, step);
    }
}
