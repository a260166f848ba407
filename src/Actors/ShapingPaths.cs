using Akka.Actor;

namespace ShapingCluster.Actors;

/// <summary>Names every node agrees on.</summary>
public static class ShapingPaths
{
    public const string SystemName = "shaping";
    public const string LearnerType = "learner";
    public const string Arena = "/user/arena";
    public const string ArenaProxy = "/user/arena-proxy";
    public const string Status = "/user/status";
    /// <summary>Torch work runs here, on dedicated threads, so it never starves Akka's heartbeats.</summary>
    public const string ComputeDispatcher = "shaping-compute-dispatcher";

    /// <summary>"host:port" of this node ("local" in a system without remoting).</summary>
    public static string NodeOf(ActorSystem system)
    {
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return address.Host is null ? "local" : $"{address.Host}:{address.Port}";
    }
}
