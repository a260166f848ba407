using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Telemetry;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// Runs a population (under <see cref="ArenaSupervisor"/>, the cluster singleton): it waits until the configured
/// number of nodes is up, then plays round after round. A round is planned when the previous one is settled, from
/// everything recorded so far, and its matches run in parallel up to the configured limit, never two at once for
/// one player, each on the node of its first member. Event-sourced (<see cref="ArenaState"/> is the fold of its
/// journal): every recorded match, round start, quarantine and round rating is an event, written in groups (one
/// journal write for all the results that arrived while the previous write was in flight), and every
/// `snapshot-every` events the state is snapshotted, so an arena that fails over, or a cluster restarted on the
/// same journal, recovers from a snapshot and a short tail: matches it recorded are never played or counted again,
/// matches that were in flight are played again (same id, same seeds, a new attempt). It trusts no message: a result
/// counts only for the running attempt of a scheduled match of the current round, from a node with the run's
/// settings. Projections (matches.jsonl, ratings.jsonl, scoreboard.json) are written by it alone, in batches or on a
/// timer, so the cost of recording a match does not grow with the matches recorded.
/// </summary>
public sealed class ArenaActor : ReceivePersistentActor, IWithTimers
{
    public interface ICommand : IShapingMessage;

    public sealed record Quarantine(string Member, string Reason);

    /// <summary>A match attempt's result; <paramref name="SettingsHash"/> is the reporting node's
    /// <see cref="PopulationContext.SettingsHash"/> (a node with other settings is not believed).</summary>
    public sealed record MatchCompleted(MatchOutcome Outcome, string Attempt, IReadOnlyList<Quarantine>? Quarantined = null, string? SettingsHash = null) : ICommand;

    public sealed record MatchFailed(string Match, string Attempt, string Reason) : ICommand;

    /// <summary>A match attempt began on a node (launches are acknowledged: a lost hand-over is retried).</summary>
    public sealed record MatchStarted(string Match, string Attempt, string Node) : ICommand;

    /// <summary>A learner (re)started on a node.</summary>
    public sealed record LearnerActive(string Member, string Node) : ICommand;

    /// <summary>Asks for the run's status: the <paramref name="Top"/> best-rated players, and with
    /// <paramref name="Full"/> every rating and where every learner lives.</summary>
    public sealed record GetStatus(int Top = 10, bool Full = false) : ICommand;

    public sealed record RatedPlayer(string Player, double Rating);

    /// <summary>Asks for what a dashboard draws (answered with <see cref="Board"/>, built by <see cref="ArenaBoard"/>):
    /// the cross-play cells among the <paramref name="Players"/> best-rated players, the <paramref name="Lines"/> best
    /// players' ratings over the last <paramref name="Rounds"/> rated rounds, and the newest failures.</summary>
    public sealed record GetBoard(int Players = 40, int Lines = 15, int Rounds = 50, int Failures = 10) : ICommand;

    /// <summary><paramref name="CrossPlay"/> is row-major, Players × Players: the mean reward of player i against
    /// player j, NaN where they never met; <paramref name="TablePlayers"/> is how many players the whole table has.
    /// <paramref name="Matches"/>: matches recorded per player (null for fresh kinds). <paramref name="Ratings"/> hold
    /// one value per entry of <paramref name="Rounds"/>.</summary>
    public sealed record Board(IReadOnlyList<string> Players, int TablePlayers, float[] CrossPlay, IReadOnlyList<int?> Matches, IReadOnlyList<int> Rounds,
        IReadOnlyList<RatingLine> Ratings, IReadOnlyList<FailureNote> Failures, long FailuresTotal) : IShapingMessage;

    public sealed record RatingLine(string Player, float[] Ratings);

    public sealed record FailureNote(DateTime Time, string Match, string Reason);

    public sealed record Status(string Name, string Node, bool Started, bool Finished, string? Error, int Round, int Rounds,
        double Lambda, int Members, long MatchesPlanned, long MatchesDone, long MatchesVoid, IReadOnlyList<string> Running,
        double MatchesPerSecond, IReadOnlyList<RatedPlayer> Top, bool RatingsFitted, IReadOnlyDictionary<string, int> MembersPerNode,
        IReadOnlyDictionary<string, string> Quarantined, int FrozenVersions,
        IReadOnlyDictionary<string, string>? Learners = null, IReadOnlyDictionary<string, double>? Ratings = null) : IShapingMessage;

    /// <summary>To the supervisor: the snapshot this arena recovered from is unusable; it stops, and the next one
    /// recovers from the snapshot before it.</summary>
    public sealed record SnapshotUnusable(long SequenceNr, string Reason);

    /// <summary>To the supervisor: the journal could not be read or written; the arena stops.</summary>
    public sealed record JournalFailed(string Reason);

    private sealed record Tick;
    private sealed record RegionCount(int Regions);
    private sealed record RatingsFitted(int? Round, IReadOnlyDictionary<string, double> Ratings, long MatchesAtCopy);
    private sealed record FinalWritten(Exception? Failure);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PopulationContext _population;
    private readonly ArenaSettings _settings;
    private readonly ArenaState _state;
    private readonly MatchLauncher _launcher = new();
    private readonly MatchesProjection _matches;
    private readonly RatingsProjection _ratingsFile;
    private readonly ScoreboardFile _board;
    private readonly IActorRef _learners;
    private readonly long _snapshotLimit;
    private readonly Dictionary<string, string> _learnerNodes = [];
    // Events waiting for the journal, and the matches among them (not to be accepted twice meanwhile).
    private List<IArenaEvent> _batch = [];
    private readonly HashSet<string> _inJournalWrite = [];
    private readonly HashSet<string> _quarantining = [];
    private bool _writing;
    private int _eventsSinceSnapshot, _snapshotDue;
    private long _previousSnapshot;
    private (long SequenceNr, string Reason)? _unusableSnapshot;
    private bool _reconciled, _playing, _roundRequested, _finished, _finishing;
    private DateTime _recoveredAt, _lastFlush, _lastSummary, _lastRefit, _lastRegionAsk;
    private string? _error;
    // Rating fits run one at a time off the arena's thread: round fits are journaled, periodic ones only shown.
    private readonly SortedSet<int> _roundsToRate = [];
    private bool _fitRunning, _ratingsFitted;
    private readonly List<MatchOutcome> _sinceFitCopy = [];
    private readonly Queue<(DateTime Time, long Done)> _rate = new();
    private readonly System.Diagnostics.Stopwatch _recovery = System.Diagnostics.Stopwatch.StartNew();
    // What the dashboard shows beyond the status (kept for it only, bounded).
    private readonly ShapingMetrics _metrics;
    private readonly RatingHistory _ratingHistory;
    private readonly RecentFailures _failures = new();

    public ArenaActor(PopulationContext population, long snapshotLimit = long.MaxValue)
    {
        _population = population;
        _settings = population.Arena;
        _snapshotDue = _settings.SnapshotEvery;
        _snapshotLimit = snapshotLimit;
        _state = new ArenaState(population.Schedule);
        _matches = new MatchesProjection(population.RunDirectory);
        _ratingsFile = new RatingsProjection(population.RunDirectory);
        _board = new ScoreboardFile(population.RunDirectory);
        _learners = ClusterSharding.Get(Context.System).ShardRegion(ShapingPaths.LearnerType);
        _metrics = ShapingMetrics.Of(Context.System);
        _ratingHistory = RatingHistory.Read(Path.Combine(population.RunDirectory, RatingsProjection.FileName));
        PersistenceId = $"{population.Settings.Name}/arena";

        Recover<SnapshotOffer>(Restore);
        Recover<IArenaEvent>(e =>
        {
            Reconcile(0);
            Apply(e, live: false);
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Tick>(_ => OnTick());
        Command<RegionCount>(Handle);
        Command<MatchCompleted>(Handle);
        Command<MatchFailed>(f =>
        {
            // Only the failure of the attempt in flight counts; an older attempt's failure is stale news.
            if (_launcher.IsRunning(f.Match, f.Attempt)) Retry(f.Match, f.Reason, countsAsAttempt: true);
        });
        Command<LearnerActive>(a => _learnerNodes[a.Member] = a.Node);
        Command<MatchStarted>(m => _launcher.MarkStarted(m.Match, m.Attempt, m.Node));
        Command<RatingsFitted>(Handle);
        Command<FinalWritten>(Handle);
        Command<SaveSnapshotSuccess>(s =>
        {
            // Keep this snapshot and the one before it (a corrupt newest one falls back to the older).
            if (_previousSnapshot > 0) DeleteSnapshots(new SnapshotSelectionCriteria(_previousSnapshot - 1));
            _previousSnapshot = s.Metadata.SequenceNr;
        });
        Command<SaveSnapshotFailure>(f => _log.Warning("population {0}: arena snapshot failed: {1}", Name, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("population {0}: deleting old arena snapshots failed: {1}", Name, f.Cause.Message));
        Command<ClusterEvent.MemberRemoved>(Handle);
        Command<ClusterEvent.IMemberEvent>(_ => { });
        Command<GetStatus>(g => Sender.Tell(CurrentStatus(g)));
        Command<GetBoard>(g => Sender.Tell(ArenaBoard.Of(g, _state, _ratingHistory, _failures)));
    }

    public override string PersistenceId { get; }

    public override Recovery Recovery => new(new SnapshotSelectionCriteria(_snapshotLimit));

    public ITimerScheduler Timers { get; set; } = null!;

    private string Name => _population.Settings.Name;

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromMilliseconds(200));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        try { _matches.Flush(); }
        catch (IOException e) { _log.Error("population {0}: writing {1} failed: {2}", Name, MatchesProjection.FileName, e.Message); }
        base.PostStop();
    }

    // ---- recovery ------------------------------------------------------------------------------------------------

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new JournalFailed($"recovering from the journal failed: {reason.GetBaseException().Message}"));
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Context.Parent.Tell(new JournalFailed($"writing to the journal failed: {cause.GetBaseException().Message}"));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Restore(SnapshotOffer offer)
    {
        try
        {
            var snapshot = ArenaSnapshot.FromBytes(offer.Snapshot as byte[] ?? throw new InvalidDataException($"unexpected snapshot type {offer.Snapshot.GetType().Name}"));
            _state.Restore(snapshot);
            _previousSnapshot = offer.Metadata.SequenceNr;
            Reconcile(snapshot.MatchesFileLength);
        }
        catch (InvalidDataException e) { _unusableSnapshot = (offer.Metadata.SequenceNr, e.Message); }
    }

    /// <summary>Once, before the first event after the snapshot (or the first event) is replayed.</summary>
    private void Reconcile(long syncedLength)
    {
        if (_reconciled) return;
        _reconciled = true;
        if (_matches.Reconcile(syncedLength) is { } warning) _log.Warning("population {0}: {1}", Name, warning);
    }

    private void OnRecovered()
    {
        if (_unusableSnapshot is { } bad)
        {
            _log.Error("population {0}: the arena snapshot at sequence {1} is unusable ({2}); recovering from the one before it", Name, bad.SequenceNr, bad.Reason);
            Context.Parent.Tell(new SnapshotUnusable(bad.SequenceNr, bad.Reason));
            Context.Stop(Self);
            return;
        }
        Reconcile(0);
        _matches.Flush();
        _recoveredAt = _lastFlush = _lastSummary = _lastRefit = DateTime.UtcNow;
        if (_state.Started)
            _log.Info("population {0}: arena recovered on {1} in {2} ms with {3} of {4} matches recorded (round {5})", Name,
                ShapingPaths.NodeOf(Context.System), _recovery.ElapsedMilliseconds, _state.MatchesDone, _state.MatchesPlanned, _state.Round);
        RequestFit(null);
    }

    // ---- the event pipeline ---------------------------------------------------------------------------------------

    /// <summary>Journals an event: it is applied once written. Events that arrive while a write is in flight go
    /// together in the next write (group commit), in the order they were recorded.</summary>
    private void Record(IArenaEvent e)
    {
        if (e is MatchRecorded m) _inJournalWrite.Add(m.Outcome.Match);
        _batch.Add(e);
        if (!_writing) WriteBatch();
    }

    private void WriteBatch()
    {
        if (_batch.Count == 0) return;
        var events = _batch;
        _batch = [];
        _writing = true;
        long began = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAllAsync(events, e => Apply(e, live: true));
        DeferAsync(events.Count, _ =>
        {
            _metrics.JournalWritten("arena", System.Diagnostics.Stopwatch.GetElapsedTime(began));
            _writing = false;
            WriteBatch();
        });
    }

    private void Apply(IArenaEvent e, bool live)
    {
        switch (e)
        {
            case RunStarted:
                _state.Apply(e);
                break;
            case RoundStarted r:
                if (_state.StartRound(r.Round))
                {
                    _roundRequested = false;
                    _launcher.ForgetFailures();
                    if (live) _launcher.Enqueue(_state.RoundPlan.Where(p => !_state.IsSettled(p.Id)));
                }
                break;
            case MatchRecorded m:
                _inJournalWrite.Remove(m.Outcome.Match);
                if (_state.Record(m.Outcome))
                {
                    _matches.Append(m.Outcome);
                    if (live) _metrics.MatchRecorded();
                    _sinceFitCopy.Add(m.Outcome);
                    _ratingsFitted = false;
                }
                break;
            case MemberQuarantined q:
                _quarantining.Remove(q.Member);
                var (accepted, voided) = _state.Quarantine(q);
                if (accepted) _log.Error("population {0}: member {1} quarantined in round {2}: {3}", Name, q.Member, q.Round, q.Reason);
                foreach (var v in voided) _launcher.Drop(v);
                break;
            case RoundRated rated:
                if (_state.Apply(rated))
                {
                    _ratingsFile.Append(rated);
                    _ratingHistory.Add(rated.Round, rated.Ratings);
                }
                break;
        }
        if (!live) return;
        if (++_eventsSinceSnapshot >= _snapshotDue) TakeSnapshot();
        if (_matches.Buffered >= _settings.FlushLines) Flush();
        Advance();
    }

    private void TakeSnapshot()
    {
        _eventsSinceSnapshot = 0;
        Flush();
        var bytes = ArenaSnapshot.Of(_state, _matches.SyncedLength).ToBytes();
        _snapshotDue = ArenaSnapshot.EventsUntilNext(_settings.SnapshotEvery, bytes.Length);
        SaveSnapshot(bytes);
    }

    private void Flush()
    {
        try { _matches.Flush(); }
        catch (IOException e) { Stop($"writing {MatchesProjection.FileName} failed: {e.Message}"); }
        _lastFlush = DateTime.UtcNow;
    }

    // ---- playing --------------------------------------------------------------------------------------------------

    /// <summary>A run that already started (failover, restart) waits at most this long for min-nodes nodes:
    /// after losing a node the survivors must go on.</summary>
    private static readonly TimeSpan ResumeWait = TimeSpan.FromSeconds(10);

    private void OnTick()
    {
        var now = DateTime.UtcNow;
        if (!_playing)
        {
            if (_state.Started && now - _recoveredAt > ResumeWait)
            {
                Play(Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up));
                return;
            }
            int up = Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up);
            if (up < _population.Settings.MinNodes || now - _lastRegionAsk < TimeSpan.FromSeconds(1)) return;
            _lastRegionAsk = now;
            // Wait until every node's shard region is known, so the learners spread over all of them.
            _learners.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5))
                .PipeTo(Self, success: s => new RegionCount(s.Regions.Count), failure: _ => new RegionCount(0));
            return;
        }
        foreach (var run in _launcher.Overdue(now))
            Retry(run.Plan.Id, run.Started ? $"no result within {_population.Settings.MatchTimeout.TotalSeconds:F0} s"
                : $"it did not start within {_settings.StartDeadline.TotalSeconds:F0} s", countsAsAttempt: run.Started);
        if (now - _lastFlush >= _settings.FlushInterval) Flush();
        if (now - _lastSummary >= _settings.SummaryInterval && !_finished)
        {
            _lastSummary = now;
            _board.TryWrite(_state, _state.Ratings.Current, _ratingsFitted, finished: false);
            if (_board.Failure is { } failure) _log.Warning("population {0}: writing {1} failed: {2}", Name, ScoreboardFile.FileName, failure.Message);
        }
        if (now - _lastRefit >= _settings.RatingsInterval && !_ratingsFitted) RequestFit(null);
        _rate.Enqueue((now, _state.MatchesDone));
        while (_rate.Count > 2 && now - _rate.Peek().Time > TimeSpan.FromSeconds(30)) _rate.Dequeue();
    }

    private void Handle(RegionCount count)
    {
        if (_playing || count.Regions < _population.Settings.MinNodes) return;
        Play(count.Regions);
    }

    private void Play(int nodes)
    {
        if (_playing) return;
        _playing = true;
        // An arena that took over knows nothing of where members live: ask them (this also starts any that are down).
        foreach (var member in _population.Settings.Members) _learners.Tell(new LearnerActor.ReportLocation(member.Id));
        if (_state.Started)
        {
            _log.Info("population {0}: continuing on {1} node(s) in round {2}", Name, nodes, _state.Round);
            _launcher.Enqueue(_state.RoundPlan.Where(p => !_state.IsSettled(p.Id)));
            Advance();
            return;
        }
        _log.Info("population {0}: starting on {1} node(s), {2} matches planned", Name, nodes, _state.MatchesPlanned);
        Record(new RunStarted(nodes));
    }

    /// <summary>Moves the run on: plans the next round once the current one is settled, asks for its ratings, and
    /// finishes after the last round's ratings are journaled.</summary>
    private void Advance()
    {
        if (!_playing || !_state.Started || _error is not null) return;
        if (_state.Round > 0 && _state.RoundComplete && _state.RatedRound < _state.Round && _roundsToRate.Add(_state.Round)) RequestFit(_state.Round);
        if (_state.Finished)
        {
            Finish();
            return;
        }
        if ((_state.Round == 0 || _state.RoundComplete) && _state.Round < _population.Settings.Rounds && !_roundRequested)
        {
            _roundRequested = true;
            Record(new RoundStarted(_state.Round + 1));
            return;
        }
        Launch();
    }

    private void Launch()
    {
        if (_error is not null || !_playing) return;
        var now = DateTime.UtcNow;
        foreach (var run in _launcher.Launch(_population.Settings.MaxParallelMatches, _settings.StartDeadline, _population.Settings.MatchTimeout,
                     member => _learnerNodes.GetValueOrDefault(member), now, plan => !plan.MemberIds().Any(_quarantining.Contains)))
            _learners.Tell(new LearnerActor.HostMatch(Host(run.Plan), run.Plan, run.Attempt));
    }

    /// <summary>A match runs on the node of its first live member (frozen versions play, they do not host).</summary>
    private static string Host(MatchPlan plan) =>
        plan.MemberIds().FirstOrDefault(id => !FrozenVersion.TryParse(id, out _, out _)) ?? plan.MemberIds().First();

    private void Handle(MatchCompleted completed)
    {
        var outcome = completed.Outcome;
        // Only the running attempt of a scheduled match counts: a late report of an older attempt, a match of another
        // round, or a message from outside the cluster changes nothing.
        if (!_launcher.IsRunning(outcome.Match, completed.Attempt)) return;
        var plan = _state.Plan(outcome.Match);
        if (completed.SettingsHash != _population.SettingsHash)
        {
            _log.Error("population {0}: match {1} was reported from {2} with other population settings; not counted", Name, outcome.Match, outcome.Node);
            Retry(outcome.Match, "reported by a node with other settings", countsAsAttempt: true);
            return;
        }
        _launcher.Land(outcome.Match);
        if (plan is null || _state.IsSettled(outcome.Match) || _inJournalWrite.Contains(outcome.Match)) { Launch(); return; }
        var quarantines = (completed.Quarantined ?? []).Where(q => plan.MemberIds().Contains(q.Member)).ToList();
        Record(new MatchRecorded(outcome with { Round = plan.Round }));
        foreach (var q in quarantines.Where(q => _quarantining.Add(q.Member)))
            Record(new MemberQuarantined(q.Member, q.Reason, _state.Round));
        Launch();
    }

    /// <summary>A node left: its matches, and those of members that lived there, are played again elsewhere.</summary>
    private void Handle(ClusterEvent.MemberRemoved removed)
    {
        var node = $"{removed.Member.Address.Host}:{removed.Member.Address.Port}";
        var lost = _learnerNodes.Where(l => l.Value == node).Select(l => l.Key).ToHashSet();
        foreach (var member in lost) _learnerNodes.Remove(member);
        foreach (var run in _launcher.InFlight.Values.Where(r => r.Node == node || r.Plan.MemberIds().Any(lost.Contains)).ToList())
            Retry(run.Plan.Id, $"node {node} left the cluster", countsAsAttempt: false);
    }

    private void Retry(string match, string reason, bool countsAsAttempt)
    {
        var run = _launcher.Land(match);
        if (run is null) return;
        if (_state.IsSettled(match) || _inJournalWrite.Contains(match) || !_state.IsPlanned(match)) { Launch(); return; }
        int failures = countsAsAttempt ? _launcher.Failed(match) : 0;
        _failures.Add(match, reason, DateTime.UtcNow);
        if (failures >= _settings.MaxAttempts)
        {
            Stop($"match {match} failed {failures} times, last: {reason}");
            return;
        }
        _log.Warning("match {0} failed ({1}); running it again", match, reason);
        _launcher.Requeue(run.Plan);
        _metrics.MatchRerun();
        Launch();
    }

    private void Stop(string error)
    {
        _error ??= error;
        _log.Error("population {0} stopped: {1}", Name, _error);
    }

    // ---- ratings and the end -------------------------------------------------------------------------------------

    /// <summary>Fits the ratings to everything recorded so far, off the arena's thread: for a completed round (the
    /// result is journaled) or to refresh the ratings shown (<paramref name="round"/> null).</summary>
    private void RequestFit(int? round)
    {
        if (_fitRunning) return;
        int? next = _roundsToRate.Count > 0 ? _roundsToRate.Min : round;
        _fitRunning = true;
        _lastRefit = DateTime.UtcNow;
        var tally = _state.Results.Copy();
        long matches = _state.MatchesDone;
        _sinceFitCopy.Clear();
        Task.Run(() => EloRatings.Fit(tally)).PipeTo(Self, success: fit => new RatingsFitted(next, fit, matches),
            failure: e => new RatingsFitted(next, new Dictionary<string, double>(), -1));
    }

    private void Handle(RatingsFitted fitted)
    {
        _fitRunning = false;
        if (fitted.MatchesAtCopy < 0) _log.Warning("population {0}: fitting the ratings failed", Name);
        else
        {
            // Matches recorded while the fit ran move the fitted ratings online until the next fit.
            _state.Ratings.Reset(fitted.Ratings);
            foreach (var o in _sinceFitCopy) _state.Ratings.Add(o);
            _ratingsFitted = _sinceFitCopy.Count == 0;
            if (fitted.Round is int round && _roundsToRate.Remove(round)) Record(new RoundRated(round, fitted.Ratings));
        }
        if (_roundsToRate.Count > 0) RequestFit(null);
    }

    private void Finish()
    {
        if (_finishing) return;
        _finishing = true;
        Flush();
        TakeSnapshot();
        _board.WriteFinal(_state, _state.Ratings.Current).ContinueWith(t => new FinalWritten(t.Exception?.GetBaseException())).PipeTo(Self);
    }

    private void Handle(FinalWritten written)
    {
        if (written.Failure is { } failure) _log.Error("population {0}: writing {1} failed: {2}", Name, ScoreboardFile.FileName, failure.Message);
        _finished = true;
        _log.Info("population {0}: finished, {1} matches", Name, _state.MatchesDone);
    }

    private Status CurrentStatus(GetStatus ask)
    {
        var rate = _rate.Count >= 2 ? (_rate.Last().Done - _rate.Peek().Done) / Math.Max(1e-9, (_rate.Last().Time - _rate.Peek().Time).TotalSeconds) : 0;
        var ratings = _state.Ratings.Current;
        return new Status(Name, ShapingPaths.NodeOf(Context.System), _playing && _state.Started, _finished, _error, _state.Round,
            _population.Settings.Rounds, _population.Schedule.Lambda(Math.Clamp(_state.Round, 1, _population.Settings.Rounds)),
            _population.Settings.Members.Count, _state.MatchesPlanned, _state.MatchesDone, _state.MatchesVoid,
            _launcher.InFlight.Keys.Order(StringComparer.Ordinal).ToList(), rate,
            ratings.OrderByDescending(r => r.Value).Take(Math.Max(0, ask.Top)).Select(r => new RatedPlayer(r.Key, r.Value)).ToList(),
            _ratingsFitted, _learnerNodes.GroupBy(l => l.Value).ToDictionary(g => g.Key, g => g.Count()),
            _state.Quarantined.ToDictionary(q => q.Key, q => q.Value.Reason), _state.FrozenVersions().Count,
            ask.Full ? new Dictionary<string, string>(_learnerNodes) : null, ask.Full ? new Dictionary<string, double>(ratings) : null);
    }
}
