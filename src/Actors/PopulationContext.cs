using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors;

/// <summary>What every actor of a population run needs from its node's configuration. Every node of a cluster is
/// started with the same configuration files, so every node builds the same context.</summary>
public sealed record PopulationContext(ShapingConfig Config, PopulationSettings Settings, string RunDirectory)
{
    public MatrixGame Game { get; } = Config.Game(Settings.Game);

    public MatchSchedule Schedule { get; } = new(Settings);

    public Persistence.PersistenceSettings Persistence { get; } = Config.Persistence();

    public Arena.ArenaSettings Arena { get; } = Config.Arena();

    /// <summary>A hash of what the run is (<see cref="Nodes.PopulationFingerprint"/>): every match report carries its
    /// node's, and the arena believes only reports with its own.</summary>
    public string SettingsHash { get; } = Nodes.PopulationFingerprint.Of(Config, Settings).Hash;

    /// <summary>Member kind <paramref name="kind"/> configured for the run's game (built once per node).</summary>
    public IMemberFactory Kind(string kind) => Config.MemberFactory(kind, Game);

    /// <summary>Torch settings for the calling thread (actors run on pool threads; flush-to-zero is per thread).</summary>
    public void ConfigureTorchThread() => TorchRuntime.EnsureConfigured(Config.IntraOpThreads, Config.FlushDenormal);
}
