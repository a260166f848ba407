using Akka.Configuration;
using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Tests.Actors;

/// <summary>The project's shipped Akka configuration, for specs in one local actor system.</summary>
public static class ActorSpecConfig
{
    public static Config Local => ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING")
        .WithFallback(ShapingConfig.Default().Root);
}
