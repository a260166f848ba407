namespace ShapingCluster.Actors.Telemetry;

/// <summary>The arena's last <see cref="Kept"/> match failures (what it ran again, and why), for the dashboard.
/// Held in memory only: the journal records results, not failed attempts.</summary>
public sealed class RecentFailures
{
    public const int Kept = 50;

    private readonly Queue<(DateTime Time, string Match, string Reason)> _failures = new();

    /// <summary>Failures since the arena started on its node, including those no longer kept.</summary>
    public long Total { get; private set; }

    public void Add(string match, string reason, DateTime time)
    {
        Total++;
        _failures.Enqueue((time, match, reason));
        while (_failures.Count > Kept) _failures.Dequeue();
    }

    /// <summary>The newest first.</summary>
    public IEnumerable<(DateTime Time, string Match, string Reason)> Newest(int count) => _failures.Reverse().Take(count);
}
