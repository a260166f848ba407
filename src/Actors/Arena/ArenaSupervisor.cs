using Akka.Actor;
using Akka.Event;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The arena's cluster singleton: it runs the <see cref="ArenaActor"/> as its child and forwards every message to
/// it. If the snapshot the child recovered from is unusable (corrupt, truncated, another format), the child says so
/// and stops, and the supervisor starts a new one that recovers from the snapshot before it and the events after
/// that: a bad snapshot costs time, never data. A child that stops for any other reason is started again after a
/// pause (a journal that cannot be read is logged each time, not retried in a tight loop).
/// </summary>
public sealed class ArenaSupervisor : ReceiveActor, IWithTimers
{
    private sealed record Restart;

    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(5);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PopulationContext _population;
    private long _snapshotLimit = long.MaxValue;
    private IActorRef _arena;
    private bool _fallback;

    public ArenaSupervisor(PopulationContext population)
    {
        _population = population;
        _arena = StartArena();
        Receive<ArenaActor.SnapshotUnusable>(u =>
        {
            if (!Sender.Equals(_arena)) return;
            _snapshotLimit = u.SequenceNr - 1;
            _fallback = true;
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_arena)) return;
            if (_fallback)
            {
                _fallback = false;
                _arena = StartArena();
                return;
            }
            _log.Error("population {0}: the arena stopped; starting it again in {1} s", population.Settings.Name, RestartPause.TotalSeconds);
            Timers.StartSingleTimer("restart", new Restart(), RestartPause);
        });
        Receive<Restart>(_ => _arena = StartArena());
        ReceiveAny(message => _arena.Forward(message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private IActorRef StartArena()
    {
        var arena = Context.ActorOf(Props.Create(() => new ArenaActor(_population, _snapshotLimit)));
        Context.Watch(arena);
        return arena;
    }
}
