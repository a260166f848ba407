using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Matches;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Actors.Telemetry;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Learners;

/// <summary>
/// One population member, a sharded, persistent entity (id = member id) that may live on any node. It holds the
/// member's state (<see cref="IMemberState"/>: for M-FOS the meta-policy and Adam state; nothing for inner
/// learners, which start every match fresh), plays one match at a time through the <see cref="IMatchPlayer"/>
/// protocol, and learns when a match finishes if its kind learns across matches. It hosts the
/// <see cref="MatchActor"/> of the matches the arena hands it, so a match runs on the node of one of its members and
/// that member's per-step messages stay local.
/// Durability: each learned match is an event, and every `snapshot-every` matches a snapshot holds the state
/// (<see cref="MemberCheckpoint"/>); after a crash the member comes back, on any node, from its newest intact snapshot
/// (an older one if the newest is corrupt), and a match it already learned from is not learned twice. A match
/// whose learning is due a snapshot is answered only once that snapshot is saved, so a match the arena counts
/// never lost the state it taught. A member whose
/// learning fails (NaN or infinite parameters, a libtorch error) is put back to its last good state and
/// quarantined: it refuses further matches and the arena drops it from the schedule.
/// Runs on the compute dispatcher: every handler does tensor work synchronously inside its own dispose scopes.
/// </summary>
public sealed class LearnerActor : ReceivePersistentActor
{
    public interface ICommand : IShapingMessage { string Member { get; } }

    // A match may be played more than once (re-run after a failure); every attempt has its own id, and a member
    // answers only the attempt it is in, so two attempts of one match can never mix their steps.

    /// <summary>Start attempt <paramref name="Attempt"/> of a match at <paramref name="Seat"/>; answered with
    /// <see cref="Chosen"/> for step 0.</summary>
    public sealed record Begin(string Member, string Match, string Attempt, long Number, Seat Seat) : ICommand;

    /// <summary>Choose the policy of step <paramref name="Step"/>; answered with <see cref="Chosen"/>.</summary>
    public sealed record Choose(string Member, string Attempt, int Step, float[] OpponentPrevious, float[]? Reward) : ICommand;

    /// <summary>The match is over: learn from it; answered with <see cref="Finished"/>.</summary>
    public sealed record Finish(string Member, string Attempt, float[] Reward) : ICommand;

    /// <summary>Run this attempt of a match on this member's node.</summary>
    public sealed record HostMatch(string Member, MatchPlan Plan, string Attempt) : ICommand;

    public sealed record Chosen(string Member, string Attempt, int Step, float[] Policy) : IShapingMessage;

    /// <summary>Learning done (or skipped: learned before, or a kind that does not learn): what it reported, and
    /// <paramref name="Quarantine"/> says why the member was quarantined by this match, if it was.</summary>
    public sealed record Finished(string Member, string Attempt, IReadOnlyDictionary<string, double>? Learning, string? Quarantine = null) : IShapingMessage;

    public sealed record Failed(string Member, string Attempt, string Reason) : IShapingMessage;

    /// <summary>Journal event: the member learned from a match.</summary>
    public sealed record LearnedFrom(string Match) : IShapingMessage;

    /// <summary>Journal event: the member's parameters went bad and it stopped playing.</summary>
    public sealed record QuarantinedFor(string Reason) : IShapingMessage;

    /// <summary>Answered with <see cref="ArenaActor.LearnerActive"/> (an arena that just took over asks every member).</summary>
    public sealed record ReportLocation(string Member) : ICommand;

    /// <summary>Sharding's hand-off stop message: snapshot what is not saved yet, then stop.</summary>
    public sealed record Stop : IShapingMessage;

    /// <summary>To a frozen version "member@n" (<see cref="FrozenVersionActor"/>): keep this state, once and for ever;
    /// answered with <see cref="VersionStored"/>.</summary>
    public sealed record StoreVersion(string Member, string Kind, byte[] State) : ICommand;

    public sealed record VersionStored(string Member, string? Refusal = null) : IShapingMessage;

    private sealed record VersionAnswer(string Match, string Attempt, LearnReport Report, IActorRef ReplyTo, VersionStored? Stored, string? Error);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _id;
    private readonly PopulationContext _population;
    private readonly MemberSpec _member;
    private readonly IMemberFactory _kind;
    private readonly IMemberState _state;
    private readonly Queue<string> _recent = new();
    private byte[] _lastGoodState;
    private readonly MatchSeat _seat;
    private readonly ComputeLoad _load;
    private readonly ShapingMetrics _metrics;
    private int _learned, _learnedAtSnapshot;
    private readonly List<(IActorRef ReplyTo, Finished Answer)> _answersAfterSnapshot = [];
    private string? _quarantine;
    private long? _corruptSnapshot;
    private bool _stopping;

    private readonly IActorRef? _versions;

    /// <param name="versions">Where frozen versions are stored (the learners' shard region; tests give a probe).</param>
    public LearnerActor(string id, PopulationContext population, IActorRef? versions = null)
    {
        _versions = versions;
        _id = id;
        _population = population;
        _member = population.Settings.Member(id);
        _seat = new MatchSeat(id);
        _load = ComputeLoad.Of(Context.System);
        _metrics = ShapingMetrics.Of(Context.System);
        PersistenceId = $"{population.Settings.Name}/learner/{id}";
        population.ConfigureTorchThread();
        _kind = population.Kind(_member.Kind);
        int index = population.Settings.Members.ToList().FindIndex(m => m.Id == id);
        _state = _kind.Create(Seeds.Initialisation(population.Settings.Seed, index));
        _lastGoodState = _state.Save();

        Recover<SnapshotOffer>(offer => Restore(offer.Snapshot, offer.Metadata.SequenceNr, fallback: false));
        Recover<LearnedFrom>(e => Note(e.Match));
        Recover<QuarantinedFor>(e => _quarantine = e.Reason);
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Ready();
    }

    public override string PersistenceId { get; }

    private void Ready()
    {
        Command<Begin>(Handle);
        Command<Choose>(Handle);
        Command<Finish>(Handle);
        Command<HostMatch>(Handle);
        Command<Stop>(_ => StopAfterSaving());
        Command<VersionAnswer>(Handle);
        Command<ReportLocation>(_ => Sender.Tell(new ArenaActor.LearnerActive(_id, ShapingPaths.NodeOf(Context.System))));
        Command<SaveSnapshotSuccess>(s =>
        {
            int keep = _population.Persistence.KeepSnapshots * _population.Persistence.SnapshotEvery;
            if (s.Metadata.SequenceNr > keep) DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - keep));
            AnswerAfterSnapshot();
            if (_stopping) Context.Stop(Self);
        });
        Command<SaveSnapshotFailure>(f =>
        {
            // The learned match is in the journal; the next snapshot will hold its state.
            _log.Error(f.Cause, "member {0}: snapshot at {1} failed", _id, f.Metadata.SequenceNr);
            AnswerAfterSnapshot();
            if (_stopping) Context.Stop(Self);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("member {0}: deleting old snapshots failed: {1}", _id, f.Cause.Message));
    }

    protected override void PreStart()
    {
        base.PreStart();
        Context.ActorSelection(ShapingPaths.ArenaProxy).Tell(new ArenaActor.LearnerActive(_id, ShapingPaths.NodeOf(Context.System)));
    }

    private void Handle(HostMatch host) =>
        Context.ActorOf(Props.Create(() => new MatchActor(host.Plan, host.Attempt, _population)).WithDispatcher(ShapingPaths.ComputeDispatcher),
            $"match-{host.Attempt}");

    private void Handle(Begin begin) => Reply(begin.Attempt, () =>
    {
        if (_quarantine is not null) throw new InvalidOperationException($"member {_id} is quarantined: {_quarantine}");
        int seat = begin.Seat == Seat.Row ? 0 : 1;
        return _seat.Begin(begin, _state.NewPlayer(new PlayerRequest(_id, begin.Seat, _population.Settings.Batch,
            Seeds.Derive(_population.Settings.Seed, begin.Number, seat))));
    });

    private void Handle(Choose choose) => Reply(choose.Attempt, () => _seat.Choose(choose));

    private void Handle(Finish finish)
    {
        _population.ConfigureTorchThread();
        using var busy = _load.Measure();
        IMatchPlayer player;
        string match;
        try { (match, player) = _seat.Finish(finish); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Fail(finish.Attempt, e.Message);
            return;
        }
        using var finished = player;
        if (!_kind.LearnsAcrossMatches)
        {
            Sender.Tell(new Finished(_id, finish.Attempt, null));
            return;
        }
        if (_recent.Contains(match))
        {
            // Another attempt of a match this member learned from already: the result counts once, so does the learning.
            Sender.Tell(new Finished(_id, finish.Attempt, null));
            return;
        }
        LearnReport report;
        long learning = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            report = _state.Learn(player);
            _metrics.LearnerUpdated(System.Diagnostics.Stopwatch.GetElapsedTime(learning));
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArithmeticException)
        {
            var reason = $"learning from match {match} failed: {e.Message}";
            _log.Error("member {0} quarantined: {1}; its last good state is kept", _id, reason);
            _state.Load(_lastGoodState);
            Persist(new QuarantinedFor(reason), q =>
            {
                _quarantine = q.Reason;
                Sender.Tell(new Finished(_id, finish.Attempt, null, reason));
            });
            return;
        }
        if (_population.Settings.Pairing == Pairing.League && (_learned + 1) % _population.Settings.FreezeEvery == 0)
        {
            // The league's version after this match is stored before the match counts as learned: a recorded match
            // implies a learned one, and a learned k·N-th match implies a stored version member@k·N.
            var version = FrozenVersion.Name(_id, _learned + 1);
            var replyTo = Sender;
            (_versions ?? Akka.Cluster.Sharding.ClusterSharding.Get(Context.System).ShardRegion(ShapingPaths.LearnerType)).Ask<VersionStored>(new StoreVersion(version, _member.Kind, _state.Save()), TimeSpan.FromSeconds(30))
                .PipeTo(Self, success: stored => new VersionAnswer(match, finish.Attempt, report, replyTo, stored, null),
                    failure: e => new VersionAnswer(match, finish.Attempt, report, replyTo, null, $"storing {version} failed: {e.Message}"));
            return;
        }
        Learned(match, finish.Attempt, report, Sender);
    }

    private void Handle(VersionAnswer answer)
    {
        if (answer.Stored is { Refusal: null }) { Learned(answer.Match, answer.Attempt, answer.Report, answer.ReplyTo); return; }
        // Not learned after all: the match will be re-run and learned then.
        _state.Load(_lastGoodState);
        var reason = answer.Error ?? answer.Stored?.Refusal ?? "the frozen version was not stored";
        _log.Warning("member {0}: {1}", _id, reason);
        answer.ReplyTo.Tell(new Failed(_id, answer.Attempt, reason));
    }

    private void Learned(string match, string attempt, LearnReport report, IActorRef replyTo)
    {
        long began = System.Diagnostics.Stopwatch.GetTimestamp();
        Persist(new LearnedFrom(match), e =>
        {
            _metrics.JournalWritten("learner", System.Diagnostics.Stopwatch.GetElapsedTime(began));
            Note(e.Match);
            _lastGoodState = _state.Save();
            var finished = new Finished(_id, attempt, report.Metrics);
            if (_learned - _learnedAtSnapshot < _population.Persistence.SnapshotEvery)
            {
                replyTo.Tell(finished);
                return;
            }
            // The match counts only once the state it taught is in the snapshot store: answered when the save is done.
            SaveLearnerSnapshot();
            _answersAfterSnapshot.Add((replyTo, finished));
        });
    }

    /// <summary>Sends the answers that waited for a snapshot (snapshots complete in the order they were saved).</summary>
    private void AnswerAfterSnapshot()
    {
        foreach (var (replyTo, finished) in _answersAfterSnapshot) replyTo.Tell(finished);
        _answersAfterSnapshot.Clear();
    }

    private void Note(string match)
    {
        _learned++;
        _recent.Enqueue(match);
        while (_recent.Count > MemberCheckpoint.RecentKept) _recent.Dequeue();
    }

    private void SaveLearnerSnapshot()
    {
        SaveSnapshot(new MemberCheckpoint(_member.Kind, _id, _learned, _recent.ToList(), [_lastGoodState]).ToBytes());
        _learnedAtSnapshot = _learned;
    }

    private void StopAfterSaving()
    {
        _seat.Dispose();
        if (_learned == _learnedAtSnapshot) { Context.Stop(Self); return; }
        _stopping = true;
        SaveLearnerSnapshot();
    }

    /// <summary>Takes a snapshot's state; a corrupt one is remembered and replaced by an older one after recovery.</summary>
    private void Restore(object snapshot, long sequenceNr, bool fallback)
    {
        try
        {
            var s = MemberCheckpoint.FromBytes(snapshot as byte[] ?? throw new InvalidDataException($"unexpected snapshot type {snapshot.GetType().Name}"));
            if (s.Kind != _member.Kind) throw new InvalidDataException($"it holds a '{s.Kind}' member, {_id} is '{_member.Kind}'");
            var state = s.SingleState();
            _population.ConfigureTorchThread();
            _state.Load(state);
            _lastGoodState = state;
            if (!fallback)
            {
                _learned = _learnedAtSnapshot = checked((int)s.Progress);
                _recent.Clear();
                foreach (var m in s.Recent) _recent.Enqueue(m);
            }
            _corruptSnapshot = null;
            if (fallback) _log.Warning("member {0}: restored from the older snapshot at sequence {1}", _id, sequenceNr);
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            _state.Load(_lastGoodState); // a state that failed halfway through loading is put back
            _log.Error("member {0}: snapshot at sequence {1} is unusable ({2}); falling back to the one before it", _id, sequenceNr, e.Message);
            _corruptSnapshot = sequenceNr;
        }
    }

    private void OnRecovered()
    {
        if (_learned > 0 || _quarantine is not null)
            _log.Info("member {0} recovered on {1}: {2} matches learned{3}", _id, ShapingPaths.NodeOf(Context.System), _learned,
                _quarantine is null ? "" : $", quarantined ({_quarantine})");
        if (_corruptSnapshot is long corrupt) LoadOlderSnapshot(corrupt);
    }

    /// <summary>Asks the store for the newest snapshot before <paramref name="corrupt"/>, holding other messages meanwhile.</summary>
    private void LoadOlderSnapshot(long corrupt)
    {
        if (corrupt <= 1)
        {
            _log.Error("member {0}: no intact snapshot is left; it continues from its initial parameters", _id);
            _corruptSnapshot = null;
            return;
        }
        Become(() =>
        {
            Command<LoadSnapshotResult>(result =>
            {
                if (result.Snapshot is null)
                {
                    _log.Error("member {0}: no intact snapshot is left; it continues from its initial parameters", _id);
                    _corruptSnapshot = null;
                }
                else Restore(result.Snapshot.Snapshot, result.Snapshot.Metadata.SequenceNr, fallback: true);
                if (_corruptSnapshot is long again) { LoadOlderSnapshot(again); return; }
                Become(Ready);
                Stash.UnstashAll();
            });
            Command<LoadSnapshotFailed>(f =>
            {
                _log.Error(f.Cause, "member {0}: loading an older snapshot failed; it continues from its current parameters", _id);
                Become(Ready);
                Stash.UnstashAll();
            });
            CommandAny(_ => Stash.Stash());
        });
        LoadSnapshot(PersistenceId, new SnapshotSelectionCriteria(corrupt - 1), long.MaxValue);
    }

    /// <summary>Runs a protocol step; any failure is reported to the match instead of crashing the member.</summary>
    private void Reply(string attempt, Func<IShapingMessage> step)
    {
        _population.ConfigureTorchThread();
        using var busy = _load.Measure();
        try { Sender.Tell(step()); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException) { Fail(attempt, e.Message); }
    }

    private void Fail(string attempt, string reason)
    {
        _log.Warning("member {0} failed in match attempt {1}: {2}", _id, attempt, reason);
        _seat.Abandon(attempt);
        Sender.Tell(new Failed(_id, attempt, reason));
    }

    protected override void PostStop()
    {
        _seat.Dispose();
        _state.Dispose();
        base.PostStop();
    }
}
