using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Population.Pairings;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// What the arena knows, as a fold of its journal events: the round being played and its matches, which of them are
/// settled, the quarantined members, and the results so far kept incrementally (cross-play table, the ratings'
/// sufficient statistics, online ratings, matches per member). Memory grows with members, pairs that met and the
/// size of one round, never with the matches recorded; applying an event is O(1) except when a round is planned.
/// No actor, no I/O: the arena persists events and applies them here; a snapshot
/// (<see cref="ArenaSnapshot"/>) is this state as bytes, so recovery reads a snapshot and the events after it.
/// </summary>
public sealed class ArenaState
{
    private readonly MatchSchedule _schedule;
    private readonly Dictionary<string, MatchPlan> _plan = [];
    private readonly HashSet<string> _settled = [];
    private readonly Dictionary<string, (string Reason, int Round)> _quarantined = [];
    private readonly Dictionary<string, int> _recorded = [];
    private long[]? _futureSizes; // planned sizes of rounds not started yet, for the current quarantines

    public ArenaState(MatchSchedule schedule) => _schedule = schedule;

    public PopulationSettings Settings => _schedule.Settings;
    public MatchSchedule Schedule => _schedule;
    public bool Started { get; private set; }
    /// <summary>The round being played (0 before the first).</summary>
    public int Round { get; private set; }
    public IReadOnlyCollection<MatchPlan> RoundPlan => _plan.Values;
    public long MatchesDone { get; private set; }
    public long MatchesVoid { get; private set; }
    /// <summary>Matches of the rounds started so far (recorded, void or still to play).</summary>
    public long MatchesOfStartedRounds { get; private set; }
    public IReadOnlyDictionary<string, (string Reason, int Round)> Quarantined => _quarantined;
    public CrossPlayTable Table { get; private set; } = new();
    public RatingTally Results { get; private set; } = new();
    public OnlineRatings Ratings { get; } = new();
    /// <summary>The last round whose ratings were fitted and journaled (<see cref="RoundRated"/>).</summary>
    public int RatedRound { get; private set; }
    /// <summary>Matches recorded per player (members and frozen versions).</summary>
    public IReadOnlyDictionary<string, int> Recorded => _recorded;

    /// <summary>The last round is settled and its ratings journaled.</summary>
    public bool Finished => Round == Settings.Rounds && RoundComplete && RatedRound == Round;
    public bool RoundComplete => _settled.Count == _plan.Count;
    public bool IsPlanned(string match) => _plan.ContainsKey(match);
    public bool IsSettled(string match) => _settled.Contains(match);
    public MatchPlan? Plan(string match) => _plan.GetValueOrDefault(match);

    /// <summary>The run's planned total: the matches of started rounds, less void ones, plus the rounds to come
    /// among the members not quarantined (exact for every pairing; quarantines later can only lower it).</summary>
    public long MatchesPlanned => MatchesOfStartedRounds - MatchesVoid + FutureSizes().Skip(Round).Sum();

    public IReadOnlyList<MemberSpec> ActiveMembers => Settings.Members.Where(m => !_quarantined.ContainsKey(m.Id)).ToList();

    /// <summary>The frozen versions the league plays: the newest versions of every member that learns (a member
    /// learns from every match recorded with it, in order, so its k-th version exists once its k-th match is).</summary>
    public IReadOnlyList<string> FrozenVersions() =>
        Settings.Pairing != Pairing.League
            ? []
            : Settings.Members.Where(m => m.LearnsAcrossMatches)
                .SelectMany(m => FrozenVersion.Pool(m.Id, _recorded.GetValueOrDefault(m.Id), Settings.FreezeEvery, Settings.KeepVersions)).ToList();

    public bool Apply(IArenaEvent e) => e switch
    {
        RunStarted => Start(),
        RoundStarted r => StartRound(r.Round),
        MatchRecorded m => Record(m.Outcome),
        MemberQuarantined q => Quarantine(q).Accepted,
        RoundRated r => Rated(r.Round),
        _ => false,
    };

    private bool Rated(int round)
    {
        if (round <= RatedRound || round > Round || (round == Round && !RoundComplete)) return false;
        RatedRound = round;
        return true;
    }

    private bool Start()
    {
        if (Started) return false;
        return Started = true;
    }

    /// <summary>Plans round <paramref name="round"/>; only the round after a complete one (or the first) counts.</summary>
    public bool StartRound(int round)
    {
        if (!Started || round != Round + 1 || round > Settings.Rounds || (Round > 0 && !RoundComplete)) return false;
        var plans = _schedule.Round(round, new RoundInputs(Settings, ActiveMembers, Results, FrozenVersions()));
        Round = round;
        _plan.Clear();
        _settled.Clear();
        foreach (var p in plans) _plan[p.Id] = p;
        MatchesOfStartedRounds += plans.Count;
        return true;
    }

    /// <summary>Records a match of the current round that is not settled yet; anything else is ignored.</summary>
    public bool Record(MatchOutcome outcome)
    {
        if (!_plan.TryGetValue(outcome.Match, out var plan) || _settled.Contains(outcome.Match)) return false;
        if (plan.Row.Name != outcome.Row || plan.Col.Name != outcome.Col || !double.IsFinite(outcome.RowReward) || !double.IsFinite(outcome.ColReward))
            return false;
        _settled.Add(outcome.Match);
        MatchesDone++;
        // The plan, not the report, says who is a member.
        var trusted = outcome with { Round = plan.Round, RowIsMember = plan.Row.IsMember, ColIsMember = plan.Col.IsMember };
        Table.Add(trusted);
        Results.Add(trusted);
        Ratings.Add(trusted);
        foreach (var seat in new[] { plan.Row, plan.Col }.Where(s => s.IsMember)) _recorded[seat.Name] = _recorded.GetValueOrDefault(seat.Name) + 1;
        return true;
    }

    /// <summary>Quarantines a member scheduled in the current round; returns whether it counted and the matches of
    /// the round that became void.</summary>
    public (bool Accepted, IReadOnlyList<string> Voided) Quarantine(MemberQuarantined q)
    {
        if (q.Round != Round || _quarantined.ContainsKey(q.Member) || !_plan.Values.Any(p => p.MemberIds().Contains(q.Member))) return (false, []);
        _quarantined[q.Member] = (q.Reason, q.Round);
        _futureSizes = null;
        var voids = _plan.Values.Where(p => !_settled.Contains(p.Id) && p.MemberIds().Contains(q.Member)).Select(p => p.Id).ToList();
        foreach (var v in voids) _settled.Add(v);
        MatchesVoid += voids.Count;
        return (true, voids);
    }

    private long[] FutureSizes()
    {
        if (_futureSizes is not null) return _futureSizes;
        var inputs = new RoundInputs(Settings, ActiveMembers, new RatingTally(), []);
        return _futureSizes = Enumerable.Range(1, Settings.Rounds).Select(r => (long)_schedule.RoundSize(r, inputs)).ToArray();
    }

    /// <summary>A copy of what scoreboard.json shows, cheap to take on the arena's thread.</summary>
    public sealed record Summary(PopulationSettings Settings, long MatchesPlanned, long MatchesDone, long MatchesVoid, int Round, double Lambda,
        IReadOnlyList<(string Member, string Reason, int Round)> Quarantined,
        IReadOnlyList<(string Id, string Kind, int Matches, double VersusFresh, double VersusMembers)> Members,
        IReadOnlyList<(string Player, string Opponent, double Sum, int Count)> Cells, IReadOnlyDictionary<string, double> Ratings);

    public Summary Summarise(IReadOnlyDictionary<string, double> ratings) => new(Settings, MatchesPlanned, MatchesDone, MatchesVoid, Round,
        _schedule.Lambda(Math.Clamp(Round, 1, Settings.Rounds)),
        _quarantined.Select(q => (q.Key, q.Value.Reason, q.Value.Round)).ToList(),
        Settings.Members.Select(m => (m.Id, m.Kind, _recorded.GetValueOrDefault(m.Id), Table.MeanVersusFresh(m.Id), Table.MeanVersusMembers(m.Id))).ToList(),
        Table.Entries().ToList(), new Dictionary<string, double>(ratings));

    /// <summary>Restores the state a snapshot describes (<see cref="ArenaSnapshot"/>).</summary>
    public void Restore(ArenaSnapshot s)
    {
        Started = s.Started;
        Round = s.Round;
        RatedRound = s.RatedRound;
        _plan.Clear();
        foreach (var p in s.Plan) _plan[p.Id] = p;
        _settled.Clear();
        _settled.UnionWith(s.Settled);
        MatchesDone = s.MatchesDone;
        MatchesVoid = s.MatchesVoid;
        MatchesOfStartedRounds = s.MatchesOfStartedRounds;
        _quarantined.Clear();
        foreach (var (member, reason, round) in s.Quarantined) _quarantined[member] = (reason, round);
        _futureSizes = null;
        Table = s.Table;
        Results = s.Results;
        Ratings.Reset(s.Ratings);
        _recorded.Clear();
        foreach (var (player, count) in s.Recorded) _recorded[player] = count;
    }

    public IReadOnlyCollection<string> SettledIds => _settled;
}
