using Akka.Actor;

namespace ShapingCluster.Actors.Telemetry;

public sealed class ShapingMetricsProvider : ExtensionIdProvider<ShapingMetrics>
{
    public override ShapingMetrics CreateExtension(ExtendedActorSystem system)
    {
        var metrics = new ShapingMetrics(system);
        // The meter outlives no node: a process that starts many (tests) does not accumulate them.
        system.WhenTerminated.ContinueWith(_ => metrics.Dispose(), TaskScheduler.Default);
        return metrics;
    }
}
