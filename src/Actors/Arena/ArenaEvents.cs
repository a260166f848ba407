using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The arena's journal events: the journal is the run's source of truth, and <see cref="ArenaState"/> is a fold of
/// these. Applying an event never throws, whatever it holds: an event that does not fit the state (a match of
/// another round, a quarantine of a member not scheduled) changes nothing.
/// </summary>
public interface IArenaEvent : IShapingMessage;

/// <summary>The run started with this many nodes up.</summary>
public sealed record RunStarted(int Nodes) : IArenaEvent;

/// <summary>Round <paramref name="Round"/> was planned from the state at this point of the journal.</summary>
public sealed record RoundStarted(int Round) : IArenaEvent;

public sealed record MatchRecorded(MatchOutcome Outcome) : IArenaEvent;

/// <summary>A member's learning failed in <paramref name="Round"/>: it leaves the schedule from the next round on,
/// and its unsettled matches of this round are void.</summary>
public sealed record MemberQuarantined(string Member, string Reason, int Round) : IArenaEvent;

/// <summary>The ratings fitted to every match recorded up to the end of <paramref name="Round"/>.</summary>
public sealed record RoundRated(int Round, IReadOnlyDictionary<string, double> Ratings) : IArenaEvent;

/// <summary>Written by builds before round events (quarantines voided matches with these); read so that such a
/// journal deserializes, and applied as nothing: a quarantine now voids its member's matches itself.</summary>
public sealed record MatchVoided(string Match, string Reason) : IArenaEvent;
