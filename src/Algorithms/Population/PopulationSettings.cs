namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// A population run: who the members are, how the arena pairs them each round, and how big each match is.
/// Member ids are "&lt;kind&gt;-&lt;n&gt;" (mfos-0, lola-1...). Members of a kind that learns across matches (M-FOS)
/// carry their parameters from match to match; inner learners (nl, lola, mmaml...) start every match fresh.
/// </summary>
public sealed record PopulationSettings
{
    public string Name { get; init; } = "population";
    public string Game { get; init; } = "ipd";
    public IReadOnlyList<MemberSpec> Members { get; init; } = [];
    public Pairing Pairing { get; init; } = Pairing.SelfPlay;
    /// <summary>The kind of the fresh inner learners members meet (λ matches in self-play; every match when fixed).</summary>
    public string Opponent { get; init; } = "nl";
    public int Rounds { get; init; } = 100;
    public int Batch { get; init; } = 4096;
    public int MetaSteps { get; init; } = 100;
    public int MaxParallelMatches { get; init; } = 4;
    /// <summary>Cluster members that must be up before the first match (so learners spread over them).</summary>
    public int MinNodes { get; init; } = 1;
    /// <summary>A match with no report after this long is re-run.</summary>
    public TimeSpan MatchTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>A match waiting this long for one answer (a step, or a learner's update) gives up and is re-run.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public long Seed { get; init; } = 1;
    public LambdaSchedule Lambda { get; init; } = new();
    /// <summary>Matches each drawing member plays per round (pfsp: every member; league: members that learn).</summary>
    public int MatchesPerRound { get; init; } = 2;
    /// <summary>How pfsp and league weigh opponents by the drawing member's win rate against them.</summary>
    public Pairings.OpponentWeighting Weighting { get; init; } = new();
    /// <summary>League: a member freezes a version of itself every this many learned matches.</summary>
    public int FreezeEvery { get; init; } = 50;
    /// <summary>League: the newest this many frozen versions of each member are in the pool.</summary>
    public int KeepVersions { get; init; } = 10;

    public MemberSpec Member(string id) =>
        Members.FirstOrDefault(m => m.Id == id) ?? throw new ArgumentException($"population '{Name}' has no member '{id}'");

    public PopulationSettings Validated()
    {
        if (Members.Count == 0) throw new ArgumentException($"population '{Name}' has no members");
        if (Members.Select(m => m.Id).Distinct().Count() != Members.Count) throw new ArgumentException($"population '{Name}' has duplicate member ids");
        if (Rounds < 1 || Batch < 1 || MetaSteps < 1 || MaxParallelMatches < 1 || MinNodes < 1)
            throw new ArgumentException($"population '{Name}': rounds, batch, meta-steps, max-parallel-matches and min-nodes must be ≥ 1");
        if (MatchTimeout <= TimeSpan.Zero || StepTimeout <= TimeSpan.Zero) throw new ArgumentException($"population '{Name}': match-timeout and step-timeout must be positive");
        if (Pairing is Pairing.RoundRobin or Pairing.Pfsp && Members.Count < 2) throw new ArgumentException($"population '{Name}': {Pairing} needs at least 2 members");
        if (MatchesPerRound < 1 || FreezeEvery < 1 || KeepVersions < 1)
            throw new ArgumentException($"population '{Name}': matches-per-round, league.freeze-every and league.keep-versions must be ≥ 1");
        if (Pairing == Pairing.League && !Members.Any(m => m.LearnsAcrossMatches))
            throw new ArgumentException($"population '{Name}': a league needs members that learn across matches (they draw the opponents)");
        if (!(Weighting.Exponent >= 0) || !double.IsFinite(Weighting.Exponent)) throw new ArgumentException($"population '{Name}': weighting.exponent must be a finite number ≥ 0");
        return this;
    }
}

/// <summary>One population member: its id, its kind ("mfos" or an inner learner's name), and whether that kind
/// learns across matches.</summary>
public sealed record MemberSpec(string Id, string Kind, bool LearnsAcrossMatches);

public enum Pairing
{
    /// <summary>Each round every member that learns across matches plays fresh opponents with probability λ, otherwise another member.</summary>
    SelfPlay,
    /// <summary>Each round every pair of members plays once.</summary>
    RoundRobin,
    /// <summary>Each round every member plays fresh opponents of the configured kind.</summary>
    Fixed,
    /// <summary>Prioritised fictitious self-play: each member draws opponents among the members by win rate.</summary>
    Pfsp,
    /// <summary>A league: members that learn draw opponents among the members and their frozen past versions.</summary>
    League,
}
