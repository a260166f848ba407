using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The cluster singleton that runs a population: it waits until the configured number of nodes is up, then plays
/// the schedule round by round (a round starts when the previous one is recorded, so every match of round r sees
/// the members as round r − 1 left them). Within a round it starts matches in parallel up to the configured limit,
/// never two at once for one member, each on the node of its first member. Results go to the <see cref="Scoreboard"/>
/// by match id; a match that fails or stays silent past the match timeout is re-run (same id, same seeds).
/// </summary>
public sealed class ArenaActor : ReceiveActor, IWithTimers
{
    public interface ICommand : IShapingMessage;

    public sealed record MatchCompleted(MatchOutcome Outcome) : ICommand;

    public sealed record MatchFailed(string Match, string Reason) : ICommand;

    /// <summary>A learner (re)started on a node.</summary>
    public sealed record LearnerActive(string Member, string Node) : ICommand;

    public sealed record GetStatus : ICommand;

    public sealed record Status(string Name, string Node, bool Started, bool Finished, string? Error, int Round, int Rounds,
        double Lambda, int MatchesPlanned, int MatchesDone, IReadOnlyList<string> Running,
        IReadOnlyDictionary<string, string> Learners, IReadOnlyDictionary<string, double> Ratings) : IShapingMessage;

    private sealed record Tick;

    private sealed record RegionCount(int Regions);

    private const int MaxAttempts = 3;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PopulationContext _population;
    private readonly Scoreboard _scoreboard;
    private readonly IActorRef _learners;
    private readonly List<MatchPlan> _pending = [];
    private readonly Dictionary<string, (MatchPlan Plan, DateTime Deadline)> _running = [];
    private readonly Dictionary<string, int> _attempts = [];
    private readonly Dictionary<string, string> _learnerNodes = [];
    private bool _started, _finished;
    private string? _error;
    private int _round;

    public ArenaActor(PopulationContext population)
    {
        _population = population;
        _scoreboard = new Scoreboard(population.RunDirectory, population.Schedule);
        _learners = ClusterSharding.Get(Context.System).ShardRegion(ShapingPaths.LearnerType);
        Receive<Tick>(_ => OnTick());
        Receive<RegionCount>(Handle);
        Receive<MatchCompleted>(Handle);
        Receive<MatchFailed>(f => Retry(f.Match, f.Reason));
        Receive<LearnerActive>(a => _learnerNodes[a.Member] = a.Node);
        Receive<GetStatus>(_ => Sender.Tell(CurrentStatus()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));

    private void OnTick()
    {
        if (!_started)
        {
            int up = Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up);
            if (up < _population.Settings.MinNodes) return;
            // Wait until every node's shard region is known, so the learners spread over all of them.
            _learners.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5))
                .PipeTo(Self, success: s => new RegionCount(s.Regions.Count), failure: _ => new RegionCount(0));
            return;
        }
        var now = DateTime.UtcNow;
        foreach (var (id, run) in _running.Where(r => r.Value.Deadline < now).ToList())
            Retry(id, $"no result within {_population.Settings.MatchTimeout.TotalSeconds:F0} s");
    }

    private void Handle(RegionCount count)
    {
        if (_started || count.Regions < _population.Settings.MinNodes) return;
        _started = true;
        _log.Info("population {0}: {1} of {2} matches already recorded; starting on {3} node(s)",
            _population.Settings.Name, _scoreboard.MatchesDone, _scoreboard.MatchesPlanned, count.Regions);
        StartRound(1);
    }

    /// <summary>Starts the first round at or after <paramref name="round"/> that is not fully recorded yet.</summary>
    private void StartRound(int round)
    {
        while (round <= _population.Settings.Rounds && _scoreboard.RoundComplete(round)) round++;
        _round = round;
        if (round > _population.Settings.Rounds)
        {
            _finished = true;
            _scoreboard.WriteSummary(_population.Settings.Rounds, finished: true);
            _log.Info("population {0}: finished, {1} matches", _population.Settings.Name, _scoreboard.MatchesDone);
            return;
        }
        _pending.AddRange(_population.Schedule.Round(round).Where(p => !_scoreboard.Contains(p.Id)));
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
            _running[plan.Id] = (plan, DateTime.UtcNow + _population.Settings.MatchTimeout);
            _learners.Tell(new LearnerActor.HostMatch(plan.MemberIds().First(), plan));
        }
    }

    private void Handle(MatchCompleted completed)
    {
        var outcome = completed.Outcome;
        _running.Remove(outcome.Match);
        _pending.RemoveAll(p => p.Id == outcome.Match);
        if (!_scoreboard.Record(outcome)) return; // counted before: a duplicate report of a re-run match
        if (_round <= _population.Settings.Rounds && _scoreboard.RoundComplete(_round)) StartRound(_round + 1);
        else
        {
            _scoreboard.WriteSummary(_round, finished: false);
            Launch();
        }
    }

    private void Retry(string match, string reason)
    {
        if (!_running.Remove(match, out var run)) return;
        int attempts = _attempts[match] = _attempts.GetValueOrDefault(match) + 1;
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

    private Status CurrentStatus() => new(_population.Settings.Name, ShapingPaths.NodeOf(Context.System), _started, _finished, _error,
        _round, _population.Settings.Rounds, _population.Schedule.Lambda(Math.Clamp(_round, 1, _population.Settings.Rounds)),
        _scoreboard.MatchesPlanned, _scoreboard.MatchesDone, _running.Keys.OrderBy(k => k).ToList(),
        new Dictionary<string, string>(_learnerNodes), _scoreboard.Ratings());
}
