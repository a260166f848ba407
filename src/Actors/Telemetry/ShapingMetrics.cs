using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Actors.Telemetry;

/// <summary>
/// This node's instruments (an actor-system extension: one per node), on a <see cref="Meter"/> of its own, so that
/// several nodes in one process (the tests' clusters) never mix their counts: an exporter listens to
/// <see cref="MeterName"/> only. Actors call one method per event (a counter or histogram update, a few nanoseconds
/// whether or not anything listens); what the cluster looks like (members by status, compute-thread busy time) is
/// read only when an exporter collects. Names follow OpenTelemetry's conventions (dots, units in <c>unit</c>), which
/// the Prometheus exporter turns into <c>shaping_matches_started_total</c>, <c>shaping_match_duration_seconds</c>, ...
/// </summary>
public sealed class ShapingMetrics : IExtension, IDisposable
{
    private static readonly double[] MatchBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 600];
    private static readonly double[] JournalBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] Statuses = Enum.GetNames<MemberStatus>();

    private readonly Meter _meter;
    private readonly Histogram<double> _matchSeconds, _updateSeconds, _journalSeconds;
    // Counts kept here and read by observable counters when an exporter collects: every counter is exported from the
    // start (zero included: a rate over "failed" needs the series before the first failure), and counting is one
    // interlocked increment whether or not anything listens.
    private long _matchesStarted, _matchesCompleted, _matchesFailed, _matchesRerun, _matchesRecorded, _updates;

    public ShapingMetrics(ExtendedActorSystem system)
    {
        // A name of its own per node: a listener selects meters by name, and two nodes of one process must not merge.
        MeterName = $"ShapingCluster.Node.{Guid.NewGuid():N}";
        _meter = new Meter(MeterName);
        Count("shaping.matches.started", () => Interlocked.Read(ref _matchesStarted), "{match}", "match attempts started on this node");
        Count("shaping.matches.completed", () => Interlocked.Read(ref _matchesCompleted), "{match}", "match attempts that finished on this node and reported their result");
        Count("shaping.matches.failed", () => Interlocked.Read(ref _matchesFailed), "{match}",
            "match attempts that failed on this node (a member failed, a step timed out, the match was stopped)");
        Count("shaping.arena.matches.rerun", () => Interlocked.Read(ref _matchesRerun), "{match}",
            "matches the arena, while on this node, launched again after a failure, a timeout or a node loss");
        Count("shaping.arena.matches.recorded", () => Interlocked.Read(ref _matchesRecorded), "{match}", "matches the arena, while on this node, recorded in its journal");
        Count("shaping.learner.updates", () => Interlocked.Read(ref _updates), "{update}", "learning steps of members on this node (one per learned match)");
        _matchSeconds = _meter.CreateHistogram("shaping.match.duration", "s", "wall time of a match attempt that completed on this node",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MatchBuckets });
        _updateSeconds = _meter.CreateHistogram("shaping.learner.update.duration", "s", "wall time of one learning step of a member on this node",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MatchBuckets });
        _journalSeconds = _meter.CreateHistogram("shaping.journal.write.duration", "s",
            "journal write latency from persist to confirmation (writer = arena: one group commit; learner: one learned-match event)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = JournalBuckets });
        var load = ComputeLoad.Of(system);
        int threads = system.Settings.Config.GetInt($"{ShapingPaths.ComputeDispatcher}.dedicated-thread-pool.thread-count", 0);
        _meter.CreateObservableCounter("shaping.compute.busy", () => load.Busy.TotalSeconds, "s",
            "time this node's compute threads spent on learners and matches");
        _meter.CreateObservableGauge("shaping.compute.threads", () => threads, "{thread}", "compute threads of this node");
        _meter.CreateObservableGauge("shaping.cluster.members", () => Members(system), "{node}",
            "cluster members by status as this node sees them (reachable = false counts the unreachable ones of each status)");
    }

    public string MeterName { get; }

    public static ShapingMetrics Of(ActorSystem system) => system.WithExtension<ShapingMetrics, ShapingMetricsProvider>();

    public void MatchStarted() => Interlocked.Increment(ref _matchesStarted);

    public void MatchCompleted(TimeSpan duration)
    {
        Interlocked.Increment(ref _matchesCompleted);
        _matchSeconds.Record(duration.TotalSeconds);
    }

    public void MatchFailed() => Interlocked.Increment(ref _matchesFailed);

    public void MatchRerun() => Interlocked.Increment(ref _matchesRerun);

    public void MatchRecorded() => Interlocked.Increment(ref _matchesRecorded);

    public void LearnerUpdated(TimeSpan duration)
    {
        Interlocked.Increment(ref _updates);
        _updateSeconds.Record(duration.TotalSeconds);
    }

    private void Count(string name, Func<long> value, string unit, string description) =>
        _meter.CreateObservableCounter(name, value, unit, description);

    /// <summary>A journal write by <paramref name="writer"/> ("arena" or "learner") took <paramref name="latency"/>.</summary>
    public void JournalWritten(string writer, TimeSpan latency) =>
        _journalSeconds.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("writer", writer));

    /// <summary>Every status with its count (zero included, so a dashboard's series never vanish), split by reachability.</summary>
    private static IEnumerable<Measurement<int>> Members(ExtendedActorSystem system)
    {
        if (system.Provider is not ClusterActorRefProvider || system.WhenTerminated.IsCompleted) yield break;
        var state = Cluster.Get(system).State;
        var counts = state.Members.GroupBy(m => (m.Status.ToString(), !state.Unreachable.Contains(m))).ToDictionary(g => g.Key, g => g.Count());
        foreach (var status in Statuses)
        foreach (var reachable in new[] { true, false })
            yield return new Measurement<int>(counts.GetValueOrDefault((status, reachable)),
                new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("reachable", reachable ? "true" : "false"));
    }

    public void Dispose() => _meter.Dispose();
}
