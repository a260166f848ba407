using System.Diagnostics;
using Akka.Actor;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// How long this node's compute threads have been busy with the work of learners and matches (an actor-system
/// extension: one per node). Handlers measure themselves with <see cref="Measure"/> (a timestamp at either end);
/// utilisation is busy time over wall time times the compute threads.
/// </summary>
public sealed class ComputeLoad : IExtension
{
    private long _busyTicks;

    public TimeSpan Busy => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    public static ComputeLoad Of(ActorSystem system) => system.WithExtension<ComputeLoad, ComputeLoadProvider>();

    public Measurement Measure() => new(this, Stopwatch.GetTimestamp());

    public readonly struct Measurement(ComputeLoad load, long start) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref load._busyTicks, Stopwatch.GetTimestamp() - start);
    }
}

public sealed class ComputeLoadProvider : ExtensionIdProvider<ComputeLoad>
{
    public override ComputeLoad CreateExtension(ExtendedActorSystem system) => new();
}
