using Akka.Actor;
using Akka.Cluster.Sharding;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Learners;
using ShapingCluster.Actors.Telemetry;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Matches;

/// <summary>
/// Drives one meta-episode with the same referee and step order as <see cref="Match.Play"/>, by messages: both seats
/// begin, then every step both choose from the previous joint policy, the referee values the pair, and each seat
/// hears its reward with the next request. A seat that carries state between matches (a member of a kind that
/// learns across matches, or a frozen version) is its entity (a <see cref="LearnerActor"/> or
/// <see cref="FrozenVersionActor"/> anywhere in the cluster, reached through sharding); every other seat (a fresh
/// inner learner, or a member whose kind keeps nothing) is played right here with the seed its entity would use. The
/// result goes to the arena; any failure or silence longer than the step timeout is reported as a failed match, which
/// the arena re-runs.
/// </summary>
public sealed class MatchActor : ReceiveActor
{
    private readonly MatchPlan _plan;
    private readonly string _attempt;
    private readonly PopulationContext _population;
    private readonly MatchReferee _referee;
    private readonly IActorRef _learners;
    private readonly SeatSpec[] _seats;
    private readonly bool[] _remote;
    private readonly IMatchPlayer?[] _fresh = new IMatchPlayer?[2];
    private readonly IMemberState?[] _freshStates = new IMemberState?[2];
    private readonly float[]?[] _previous = new float[]?[2];
    private readonly float[]?[] _chosen = new float[]?[2];
    private readonly float[]?[] _rewards = new float[]?[2];
    private readonly string?[] _quarantine = new string?[2];
    private readonly IReadOnlyDictionary<string, double>?[] _learning = new IReadOnlyDictionary<string, double>?[2];
    private readonly bool[] _finished = new bool[2];
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly ShapingMetrics _metrics = ShapingMetrics.Of(Context.System);
    private int _step;
    private bool _reported;

    public MatchActor(MatchPlan plan, string attempt, PopulationContext population)
    {
        _plan = plan;
        _attempt = attempt;
        _population = population;
        _seats = [plan.Row, plan.Col];
        // Seats played by their entity: members that carry state from match to match, and frozen versions.
        _remote = _seats.Select(seat => seat.IsMember && (FrozenVersion.TryParse(seat.Name, out _, out _)
            || population.Settings.Member(seat.Name).LearnsAcrossMatches)).ToArray();
        _referee = new MatchReferee(population.Game, population.Settings.Batch, population.Settings.MetaSteps);
        _learners = ClusterSharding.Get(Context.System).ShardRegion(ShapingPaths.LearnerType);
        Receive<LearnerActor.Chosen>(Handle);
        Receive<LearnerActor.Finished>(Handle);
        Receive<LearnerActor.Failed>(f => { if (f.Attempt == _attempt) Fail($"member {f.Member}: {f.Reason}"); });
        Receive<ReceiveTimeout>(_ => Fail($"no answer for {population.Settings.StepTimeout.TotalSeconds:F0} s at step {_step}"));
    }

    protected override void PreStart()
    {
        Context.SetReceiveTimeout(_population.Settings.StepTimeout);
        _metrics.MatchStarted();
        Context.ActorSelection(ShapingPaths.ArenaProxy).Tell(new ArenaActor.MatchStarted(_plan.Id, _attempt, ShapingPaths.NodeOf(Context.System)));
        Run(() =>
        {
            for (int seat = 0; seat < 2; seat++)
            {
                var s = (Seat)seat;
                if (_remote[seat])
                {
                    _learners.Tell(new LearnerActor.Begin(_seats[seat].Name, _plan.Id, _attempt, _plan.Number, s));
                    continue;
                }
                // Fresh seats, and members whose kind keeps nothing between matches, are played right here: they have
                // no state to fetch, and the same seed as their entity would use gives the same match.
                var kind = _seats[seat].IsMember ? _population.Settings.Member(_seats[seat].Name).Kind : _seats[seat].Name;
                _freshStates[seat] = _population.Kind(kind).Create(0);
                _fresh[seat] = _freshStates[seat]!.NewPlayer(new PlayerRequest(_seats[seat].Name, s, _population.Settings.Batch,
                    Seeds.Derive(_population.Settings.Seed, _plan.Number, seat)));
                Chose(seat, 0, _fresh[seat]!.Begin());
            }
        });
    }

    private void Handle(LearnerActor.Chosen chosen)
    {
        if (chosen.Attempt != _attempt || chosen.Step != _step) return; // a stale answer from an abandoned attempt
        Run(() => Chose(SeatOf(chosen.Member), chosen.Step, chosen.Policy));
    }

    private void Handle(LearnerActor.Finished finished)
    {
        if (finished.Attempt != _attempt) return;
        int seat = SeatOf(finished.Member);
        _finished[seat] = true;
        _quarantine[seat] = finished.Quarantine;
        _learning[seat] = finished.Learning;
        TryReport();
    }

    /// <summary>A seat's policy for <paramref name="step"/>; once both are in, the step is valued and the next one
    /// asked for. Local seats answer at once, so a match with no remote seat runs to its end in this loop.</summary>
    private void Chose(int seat, int step, float[] policy)
    {
        if (step == 0) _referee.Check(policy, _seats[seat].Name); // later steps are checked when valued
        _chosen[seat] = policy;
        while (_chosen[0] is not null && _chosen[1] is not null)
        {
            if (_step > 0)
            {
                var (row, col) = _referee.Value(_chosen[0]!, _chosen[1]!, _seats[0].Name, _seats[1].Name);
                _rewards[0] = row;
                _rewards[1] = col;
            }
            _previous[0] = _chosen[0];
            _previous[1] = _chosen[1];
            _chosen[0] = _chosen[1] = null;
            if (_referee.Over) { FinishSeats(); return; }
            _step++;
            for (int s = 0; s < 2; s++)
                if (_remote[s]) _learners.Tell(new LearnerActor.Choose(_seats[s].Name, _attempt, _step, _previous[1 - s]!, _rewards[s]));
            // Local seats answer at once, after the remote ones were asked (so that they compute meanwhile).
            for (int s = 0; s < 2; s++)
                if (_fresh[s] is { } player) _chosen[s] = player.Choose(_previous[1 - s]!, _rewards[s]);
        }
    }

    private void FinishSeats()
    {
        for (int s = 0; s < 2; s++)
        {
            if (_remote[s]) _learners.Tell(new LearnerActor.Finish(_seats[s].Name, _attempt, _rewards[s]!));
            else
            {
                _fresh[s]!.Finish(_rewards[s]!);
                _finished[s] = true;
            }
        }
        TryReport();
    }

    private void TryReport()
    {
        if (!_finished[0] || !_finished[1]) return;
        var outcome = new MatchOutcome(_plan.Id, _plan.Round, _plan.Row.Name, _plan.Col.Name, _plan.Row.IsMember, _plan.Col.IsMember,
            _referee.RowMean, _referee.ColMean, ShapingPaths.NodeOf(Context.System), (DateTime.UtcNow - _started).TotalSeconds, DateTime.UtcNow,
            _referee.RowCooperation, _referee.ColCooperation, _learning[0], _learning[1]);
        var quarantined = Enumerable.Range(0, 2).Where(s => _quarantine[s] is not null)
            .Select(s => new ArenaActor.Quarantine(_seats[s].Name, _quarantine[s]!)).ToList();
        Report(new ArenaActor.MatchCompleted(outcome, _attempt, quarantined, _population.SettingsHash));
    }

    private void Fail(string reason) => Report(new ArenaActor.MatchFailed(_plan.Id, _attempt, reason));

    private void Report(ArenaActor.ICommand report)
    {
        if (_reported) return;
        _reported = true;
        if (report is ArenaActor.MatchCompleted) _metrics.MatchCompleted(DateTime.UtcNow - _started);
        else _metrics.MatchFailed();
        Context.ActorSelection(ShapingPaths.ArenaProxy).Tell(report);
        Context.Stop(Self);
    }

    /// <summary>Local work (fresh players, the referee) with the torch settings of this thread; a failure fails the match.</summary>
    private void Run(Action work)
    {
        _population.ConfigureTorchThread();
        using var busy = Nodes.ComputeLoad.Of(Context.System).Measure();
        try { work(); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException) { Fail(e.Message); }
    }

    private int SeatOf(string member) =>
        _remote[0] && _seats[0].Name == member ? 0 : _remote[1] && _seats[1].Name == member ? 1
            : throw new InvalidOperationException($"member {member} does not play match {_plan.Id}");

    protected override void PostStop()
    {
        // Stopped from outside (its member or node went away): say so, so the arena re-runs the match at once.
        if (!_reported)
        {
            _metrics.MatchFailed();
            Context.ActorSelection(ShapingPaths.ArenaProxy).Tell(new ArenaActor.MatchFailed(_plan.Id, _attempt, "the match was stopped before it finished"));
        }
        foreach (var player in _fresh) player?.Dispose();
        foreach (var state in _freshStates) state?.Dispose();
    }
}
