using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Learners;

/// <summary>
/// A frozen past version of a member, "mfos-3@1200" (a sharded entity in the learners' region, so anyone reaches it
/// by name): the member's state after its 1,200th learned match, stored once by the member
/// (<see cref="LearnerActor.StoreVersion"/>, journaled under its own persistence id) and immutable from then on. It
/// plays the match protocol like a member whose kind never learns. Idle versions passivate: the league's pool can
/// hold many, and each holds a whole state.
/// </summary>
public sealed class FrozenVersionActor : ReceivePersistentActor
{
    /// <summary>Journal event: the version's state.</summary>
    public sealed record Stored(string Kind, byte[] State) : IShapingMessage;

    private static readonly TimeSpan IdleBeforePassivation = TimeSpan.FromMinutes(2);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _id;
    private readonly PopulationContext _population;
    private readonly MemberSpec _member;
    private readonly MatchSeat _seat;
    private readonly ComputeLoad _load;
    private IMemberState? _state;
    private byte[]? _stored;

    public FrozenVersionActor(string id, PopulationContext population)
    {
        _id = id;
        _population = population;
        FrozenVersion.TryParse(id, out var member, out _);
        _member = population.Settings.Member(member);
        _seat = new MatchSeat(id);
        _load = ComputeLoad.Of(Context.System);
        PersistenceId = $"{population.Settings.Name}/frozen/{id}";

        Recover<Stored>(Load);
        Command<LearnerActor.StoreVersion>(Handle);
        Command<LearnerActor.Begin>(b => Reply(b.Attempt, () =>
        {
            if (_state is null) throw new InvalidOperationException($"version {_id} has not been stored");
            int seat = b.Seat == Seat.Row ? 0 : 1;
            return _seat.Begin(b, _state.NewPlayer(new PlayerRequest(_id, b.Seat, _population.Settings.Batch,
                Seeds.Derive(_population.Settings.Seed, b.Number, seat))));
        }));
        Command<LearnerActor.Choose>(c => Reply(c.Attempt, () => _seat.Choose(c)));
        Command<LearnerActor.Finish>(f => Reply(f.Attempt, () =>
        {
            using var finished = _seat.Finish(f).Player;
            return new LearnerActor.Finished(_id, f.Attempt, null); // frozen: it never learns
        }));
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public override string PersistenceId { get; }

    protected override void PreStart()
    {
        base.PreStart();
        Context.SetReceiveTimeout(IdleBeforePassivation);
    }

    private void Load(Stored stored)
    {
        _population.ConfigureTorchThread();
        try
        {
            var state = _population.Kind(stored.Kind).Create(0);
            state.Load(stored.State);
            _state?.Dispose();
            _state = state;
            _stored = stored.State;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            _log.Error("version {0}: its stored state is unusable ({1})", _id, e.Message);
        }
    }

    private void Handle(LearnerActor.StoreVersion store)
    {
        if (_stored is not null)
        {
            // Immutable: the first state stands (a member that re-learned a match after a crash stores it again).
            Sender.Tell(new LearnerActor.VersionStored(_id));
            return;
        }
        if (store.Kind != _member.Kind)
        {
            Sender.Tell(new LearnerActor.VersionStored(_id, $"version {_id} is of kind '{_member.Kind}', not '{store.Kind}'"));
            return;
        }
        var replyTo = Sender;
        Persist(new Stored(store.Kind, store.State), e =>
        {
            Load(e);
            replyTo.Tell(new LearnerActor.VersionStored(_id, _state is null ? $"version {_id}: the state does not load" : null));
        });
    }

    private void Reply(string attempt, Func<IShapingMessage> step)
    {
        _population.ConfigureTorchThread();
        using var busy = _load.Measure();
        try { Sender.Tell(step()); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
        {
            _seat.Abandon(attempt);
            Sender.Tell(new LearnerActor.Failed(_id, attempt, e.Message));
        }
    }

    protected override void PostStop()
    {
        _seat.Dispose();
        _state?.Dispose();
        base.PostStop();
    }
}
