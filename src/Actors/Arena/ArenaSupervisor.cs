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
    private IActorRef? _arena;
    private bool _fallback;
    private string? _failure;

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
        Receive<ArenaActor.JournalFailed>(f => _failure = f.Reason);
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_arena)) return;
            if (_fallback)
            {
                _fallback = false;
                _arena = StartArena();
                return;
            }
            _arena = null;
            _log.Error("population {0}: the arena stopped ({1}); starting it again in {2} s", population.Settings.Name,
                _failure ?? "no reason given", RestartPause.TotalSeconds);
            Timers.StartSingleTimer("restart", new Restart(), RestartPause);
        });
        Receive<Restart>(_ => _arena = StartArena());
        // While the arena is down after a failure, status says why (a node's host then stops with that line).
        Receive<ArenaActor.GetStatus>(_ => _arena is null && _failure is not null, _ => Sender.Tell(FailedStatus()));
        ReceiveAny(message => _arena?.Forward(message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ArenaActor.Status FailedStatus() => new(_population.Settings.Name, ShapingPaths.NodeOf(Context.System), false, false,
        $"the arena cannot run: {_failure}", 0, _population.Settings.Rounds, double.NaN, _population.Settings.Members.Count, 0, 0, 0, [], 0, [],
        false, new Dictionary<string, int>(), new Dictionary<string, string>(), 0);

    private IActorRef StartArena()
    {
        _failure = null;
        var arena = Context.ActorOf(Props.Create(() => new ArenaActor(_population, _snapshotLimit)));
        Context.Watch(arena);
        return arena;
    }
}
