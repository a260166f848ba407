using Akka.Configuration;
using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Tests.Actors;

/// <summary>The project's shipped Akka configuration, for specs in one local actor system.</summary>
public static class ActorSpecConfig
{
    /// <summary>Journal and snapshots in memory: nothing outlives the actor system (Akka's default snapshot store
    /// would write files into the working directory, and the next run would recover from them).</summary>
    public static Config Local => ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING")
        .WithFallback(new ShapingCluster.Actors.Persistence.PersistenceSettings("memory", "", 1, 3).AkkaConfig(""))
        .WithFallback(ShapingConfig.Default().Root);
}
