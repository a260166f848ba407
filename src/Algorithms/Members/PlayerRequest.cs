using ShapingCluster.Algorithms.Games;

namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// What a member needs to know to play one match: its name in results, its seat, the batch of games, the seed of the
/// match's own generator, and whether it plays to learn (training: a kind may explore) or to be evaluated.
/// </summary>
public sealed record PlayerRequest(string Name, Seat Seat, int Batch, ulong Seed, bool Learning = true);
