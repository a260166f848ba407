namespace ShapingCluster.Actors.Arena;

/// <summary>
/// How the arena runs (`shaping.arena`), as opposed to what the population is: how often it snapshots its state,
/// how far its projections may lag the journal, how often ratings are refitted, and how it retries matches. These
/// may change when a run is resumed.
/// </summary>
public sealed record ArenaSettings
{
    /// <summary>Journal events between snapshots: recovery reads the newest snapshot and at most this many events.</summary>
    public int SnapshotEvery { get; init; } = 1000;
    /// <summary>matches.jsonl is appended (one fsync) at least this often, or when <see cref="FlushLines"/> wait.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int FlushLines { get; init; } = 1000;
    /// <summary>scoreboard.json is rewritten this often while the run goes on (and when it finishes).</summary>
    public TimeSpan SummaryInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The node that hosts the arena redraws the PNG plots this often (and when the run finishes).</summary>
    public TimeSpan PlotsInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The full Bradley–Terry fit is redone off the arena's thread at most this often.</summary>
    public TimeSpan RatingsInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A match that failed this many times in a round stops the run.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>A launched match that has not said it started by then is launched again (a hand-over can lose it).</summary>
    public TimeSpan StartDeadline { get; init; } = TimeSpan.FromSeconds(20);

    public ArenaSettings Validated()
    {
        if (SnapshotEvery < 1 || FlushLines < 1 || MaxAttempts < 1)
            throw new ArgumentException("shaping.arena: snapshot-every, flush-lines and max-attempts must be ≥ 1");
        if (FlushInterval <= TimeSpan.Zero || SummaryInterval <= TimeSpan.Zero || PlotsInterval <= TimeSpan.Zero || RatingsInterval <= TimeSpan.Zero || StartDeadline <= TimeSpan.Zero)
            throw new ArgumentException("shaping.arena: intervals and deadlines must be positive");
        return this;
    }
}
