using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The cluster singleton that runs a population: it waits until the configured number of nodes is up, then plays
/// the schedule round by round (a round starts when the previous one is settled, so every match of round r sees
/// the members as round r − 1 left them). Within a round it starts matches in parallel up to the configured limit,
/// never two at once for one member, each on the node of its first member. It is event-sourced: the start of the
/// run, every recorded match, quarantines and void matches are journal events, so an arena that fails over to
/// another node, or a whole cluster restarted on the same journal, continues where the journal ends: matches it
/// recorded are never played or counted again; matches that were in flight are played again (same id, same seeds).
/// A match whose node leaves the cluster, that fails, or that stays silent past the match timeout is re-run.
/// </summary>
public sealed class ArenaActor : ReceivePersistentActor, IWithTimers
{
    public interface ICommand : IShapingMessage;

    public sealed record Quarantine(string Member, string Reason);

    public sealed record MatchCompleted(MatchOutcome Outcome, string Attempt, IReadOnlyList<Quarantine>? Quarantined = null) : ICommand;

    public sealed record MatchFailed(string Match, string Attempt, string Reason) : ICommand;

    /// <summary>A match attempt began on a node (launches are acknowledged: a lost hand-over is retried).</summary>
    public sealed record MatchStarted(string Match, string Attempt, string Node) : ICommand;

    /// <summary>A learner (re)started on a node.</summary>
    public sealed record LearnerActive(string Member, string Node) : ICommand;

    public sealed record GetStatus : ICommand;

    public sealed record Status(string Name, string Node, bool Started, bool Finished, string? Error, int Round, int Rounds,
        double Lambda, int MatchesPlanned, int MatchesDone, IReadOnlyList<string> Running,
        IReadOnlyDictionary<string, string> Learners, IReadOnlyDictionary<string, double> Ratings,
        IReadOnlyDictionary<string, string>? Quarantined = null) : IShapingMessage;

    /// <summary>Journal events.</summary>
    public sealed record RunStarted(int Nodes) : IShapingMessage;
    public sealed record MatchRecorded(MatchOutcome Outcome) : IShapingMessage;
    public sealed record MemberQuarantined(string Member, string Reason, int Round) : IShapingMessage;
    public sealed record MatchVoided(string Match, string Reason) : IShapingMessage;

    private sealed record Tick;

    private sealed record RegionCount(int Regions);

    private const int MaxAttempts = 3;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PopulationContext _population;
    private readonly Scoreboard _scoreboard;
    private readonly IActorRef _learners;
    private readonly List<MatchPlan> _pending = [];
    private readonly Dictionary<string, (MatchPlan Plan, string Attempt, DateTime Deadline, string? Node, bool Started)> _running = [];

    /// <summary>A launched match that has not said it started by then is launched again: the HostMatch message can
    /// be lost while the shard of its host member moves after a node loss.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, int> _attempts = [];
    private readonly Dictionary<string, string> _learnerNodes = [];
    private bool _started, _playing, _finished;
    private DateTime _recoveredAt;
    private string? _error;
    private int _round;

    public ArenaActor(PopulationContext population)
    {
        _population = population;
        _scoreboard = new Scoreboard(population.RunDirectory, population.Schedule);
        _learners = ClusterSharding.Get(Context.System).ShardRegion(ShapingPaths.LearnerType);
        PersistenceId = $"{population.Settings.Name}/arena";

        Recover<RunStarted>(_ => _started = true);
        Recover<MatchRecorded>(e => _scoreboard.Restore(e.Outcome));
        Recover<MemberQuarantined>(e => _scoreboard.Quarantine(e.Member, e.Reason, e.Round));
        Recover<MatchVoided>(e => _scoreboard.Void(e.Match));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Tick>(_ => OnTick());
        Command<RegionCount>(Handle);
        Command<MatchCompleted>(Handle);
        Command<MatchFailed>(f =>
        {
            // Only the failure of the attempt in flight counts; an older attempt's failure is stale news.
            if (_running.TryGetValue(f.Match, out var run) && run.Attempt == f.Attempt) Retry(f.Match, f.Reason, countsAsAttempt: true);
        });
        Command<LearnerActive>(a => _learnerNodes[a.Member] = a.Node);
        Command<MatchStarted>(m =>
        {
            if (_running.TryGetValue(m.Match, out var run) && run.Attempt == m.Attempt)
                _running[m.Match] = run with { Node = m.Node, Started = true };
        });
        Command<ClusterEvent.MemberRemoved>(Handle);
        Command<ClusterEvent.IMemberEvent>(_ => { });
        Command<GetStatus>(_ => Sender.Tell(CurrentStatus()));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        base.PostStop();
    }

    private void OnRecovered()
    {
        _scoreboard.RewriteMatchesFile();
        _recoveredAt = DateTime.UtcNow;
        if (_started)
            _log.Info("population {0}: arena recovered on {1} with {2} of {3} matches recorded", _population.Settings.Name,
                ShapingPaths.NodeOf(Context.System), _scoreboard.MatchesDone, _scoreboard.MatchesPlanned);
    }

    /// <summary>A run that already started (failover, restart) waits at most this long for min-nodes nodes:
    /// after losing a node the survivors must go on.</summary>
    private static readonly TimeSpan ResumeWait = TimeSpan.FromSeconds(10);

    private void OnTick()
    {
        if (!_playing)
        {
            if (_started && DateTime.UtcNow - _recoveredAt > ResumeWait)
            {
                Play(Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up));
                return;
            }
            int up = Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up);
            if (up < _population.Settings.MinNodes) return;
            // Wait until every node's shard region is known, so the learners spread over all of them.
            _learners.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5))
                .PipeTo(Self, success: s => new RegionCount(s.Regions.Count), failure: _ => new RegionCount(0));
            return;
        }
        var now = DateTime.UtcNow;
        foreach (var (id, _) in _running.Where(r => r.Value.Deadline < now).ToList())
            Retry(id, $"no result within {_population.Settings.MatchTimeout.TotalSeconds:F0} s", countsAsAttempt: true);
        foreach (var (id, _) in _running.Where(r => !r.Value.Started && r.Value.Deadline - _population.Settings.MatchTimeout + StartDeadline < now).ToList())
            Retry(id, $"it did not start within {StartDeadline.TotalSeconds:F0} s", countsAsAttempt: false);
    }

    private void Handle(RegionCount count)
    {
        if (_playing || count.Regions < _population.Settings.MinNodes) return;
        Play(count.Regions);
    }

    private void Play(int nodes)
    {
        _playing = true;
        // An arena that took over knows nothing of where members live: ask them (this also starts any that are down).
        foreach (var member in _population.Settings.Members) _learners.Tell(new LearnerActor.ReportLocation(member.Id));
        if (_started)
        {
            _log.Info("population {0}: continuing on {1} node(s)", _population.Settings.Name, nodes);
            StartRound(1);
            return;
        }
        Persist(new RunStarted(nodes), _ =>
        {
            _started = true;
            _log.Info("population {0}: starting on {1} node(s), {2} matches planned", _population.Settings.Name, nodes, _scoreboard.MatchesPlanned);
            StartRound(1);
        });
    }

    /// <summary>Starts the first round at or after <paramref name="round"/> that is not settled yet.</summary>
    private void StartRound(int round)
    {
        while (round <= _population.Settings.Rounds && _scoreboard.RoundComplete(round)) round++;
        _round = round;
        _pending.Clear();
        if (round > _population.Settings.Rounds)
        {
            _finished = true;
            _scoreboard.WriteSummary(_population.Settings.Rounds, finished: true);
            _log.Info("population {0}: finished, {1} matches", _population.Settings.Name, _scoreboard.MatchesDone);
            return;
        }
        _pending.AddRange(_scoreboard.Plan(round).Where(p => !_scoreboard.IsSettled(p.Id) && !_running.ContainsKey(p.Id)));
        _scoreboard.WriteSummary(round, finished: false);
        Launch();
    }

    private void Launch()
    {
        if (_error is not null) return;
        var busy = _running.Values.SelectMany(r => r.Plan.MemberIds()).ToHashSet();
        foreach (var plan in _pending.ToList())
        {
            if (_running.Count >= _population.Settings.MaxParallelMatches) break;
            if (plan.MemberIds().Any(busy.Contains)) continue;
            _pending.Remove(plan);
            busy.UnionWith(plan.MemberIds());
            var host = plan.MemberIds().First();
            var attempt = $"{plan.Id}-{Guid.NewGuid():N}";
            _running[plan.Id] = (plan, attempt, DateTime.UtcNow + _population.Settings.MatchTimeout, _learnerNodes.GetValueOrDefault(host), false);
            _learners.Tell(new LearnerActor.HostMatch(host, plan, attempt));
        }
    }

    private void Handle(MatchCompleted completed)
    {
        var outcome = completed.Outcome;
        _running.Remove(outcome.Match);
        _pending.RemoveAll(p => p.Id == outcome.Match);
        if (_scoreboard.IsSettled(outcome.Match)) { Launch(); return; } // counted before: a duplicate report of a re-run
        Persist(new MatchRecorded(outcome), e =>
        {
            _scoreboard.Record(e.Outcome);
            // Quarantines change the schedule: the next round may start only after they are journaled.
            bool quarantining = false;
            foreach (var q in completed.Quarantined ?? []) quarantining |= QuarantineMember(q.Member, q.Reason);
            if (!quarantining) Advance();
        });
    }

    /// <summary>Journals a quarantine and voids the member's unplayed matches of this round; false if the member
    /// was quarantined already. Advances once everything is journaled.</summary>
    private bool QuarantineMember(string member, string reason)
    {
        if (_scoreboard.Quarantined.ContainsKey(member)) return false;
        _log.Error("population {0}: member {1} quarantined: {2}", _population.Settings.Name, member, reason);
        Persist(new MemberQuarantined(member, reason, _round), e =>
        {
            var voids = _scoreboard.Quarantine(e.Member, e.Reason, e.Round);
            _pending.RemoveAll(p => voids.Contains(p.Id));
            if (voids.Count == 0) { Advance(); return; }
            int left = voids.Count;
            PersistAll(voids.Select(match => new MatchVoided(match, $"{member} quarantined")), v =>
            {
                _scoreboard.Void(v.Match);
                _running.Remove(v.Match);
                if (--left == 0) Advance();
            });
        });
        return true;
    }

    private void Advance()
    {
        if (!_playing)
        {
            // A report that reached a recovering arena: recorded, and played on from once the arena plays.
            _scoreboard.WriteSummary(_round, finished: false);
            return;
        }
        if (_round <= _population.Settings.Rounds && _scoreboard.RoundComplete(_round)) StartRound(_round + 1);
        else
        {
            _scoreboard.WriteSummary(_round, finished: false);
            Launch();
        }
    }

    /// <summary>A node left: its matches, and those of members that lived there, are played again elsewhere.</summary>
    private void Handle(ClusterEvent.MemberRemoved removed)
    {
        var node = $"{removed.Member.Address.Host}:{removed.Member.Address.Port}";
        var lost = _learnerNodes.Where(l => l.Value == node).Select(l => l.Key).ToHashSet();
        foreach (var member in lost) _learnerNodes.Remove(member);
        foreach (var (id, run) in _running.Where(r => r.Value.Node == node || r.Value.Plan.MemberIds().Any(lost.Contains)).ToList())
            Retry(id, $"node {node} left the cluster", countsAsAttempt: false);
    }

    private void Retry(string match, string reason, bool countsAsAttempt)
    {
        if (!_running.Remove(match, out var run)) return;
        if (_scoreboard.IsSettled(match)) { Launch(); return; }
        int attempts = _attempts.GetValueOrDefault(match) + (countsAsAttempt ? 1 : 0);
        _attempts[match] = attempts;
        if (attempts >= MaxAttempts)
        {
            _error = $"match {match} failed {attempts} times, last: {reason}";
            _log.Error("population {0} stopped: {1}", _population.Settings.Name, _error);
            return;
        }
        _log.Warning("match {0} failed ({1}); running it again", match, reason);
        _pending.Insert(0, run.Plan);
        Launch();
    }

    private Status CurrentStatus() => new(_population.Settings.Name, ShapingPaths.NodeOf(Context.System), _playing, _finished, _error,
        _round, _population.Settings.Rounds, _population.Schedule.Lambda(Math.Clamp(_round, 1, _population.Settings.Rounds)),
        _scoreboard.MatchesPlanned, _scoreboard.MatchesDone, _running.Keys.OrderBy(k => k).ToList(),
        new Dictionary<string, string>(_learnerNodes), _scoreboard.Ratings(),
        _scoreboard.Quarantined.ToDictionary(q => q.Key, q => q.Value.Reason));
}
