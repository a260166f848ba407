using Akka.Actor;
using Akka.Event;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Matches;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Mfos;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Learners;

/// <summary>
/// One population member, a sharded entity (id = member id) that may live on any node. An M-FOS member holds its
/// meta-policy and Adam state and learns (PPO) from the trajectory it recorded when a match finishes; an
/// inner-learner member holds only its kind and starts every match fresh. It plays one match at a time through
/// the <see cref="IMatchPlayer"/> protocol, and hosts the <see cref="MatchActor"/> of the matches the arena hands
/// it, so a match runs on the node of one of its members and that member's per-step messages stay local.
/// Runs on the compute dispatcher: every handler does tensor work synchronously inside its own dispose scopes.
/// </summary>
public sealed class LearnerActor : ReceiveActor
{
    public interface ICommand : IShapingMessage { string Member { get; } }

    /// <summary>Start a match at <paramref name="Seat"/>; answered with <see cref="Chosen"/> for step 0.</summary>
    public sealed record Begin(string Member, string Match, long Number, Seat Seat) : ICommand;

    /// <summary>Choose the policy of step <paramref name="Step"/>; answered with <see cref="Chosen"/>.</summary>
    public sealed record Choose(string Member, string Match, int Step, float[] OpponentPrevious, float[]? Reward) : ICommand;

    /// <summary>The match is over: learn from it; answered with <see cref="Finished"/>.</summary>
    public sealed record Finish(string Member, string Match, float[] Reward) : ICommand;

    /// <summary>Run this match on this member's node.</summary>
    public sealed record HostMatch(string Member, MatchPlan Plan) : ICommand;

    public sealed record Chosen(string Member, string Match, int Step, float[] Policy) : IShapingMessage;

    public sealed record Finished(string Member, string Match, double[] Cooperation) : IShapingMessage;

    public sealed record Failed(string Member, string Match, string Reason) : IShapingMessage;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _id;
    private readonly PopulationContext _population;
    private readonly MemberSpec _member;
    private readonly MfosAgent? _agent;
    private (string Match, IMatchPlayer Player)? _current;

    public LearnerActor(string id, PopulationContext population)
    {
        _id = id;
        _population = population;
        _member = population.Settings.Member(id);
        population.ConfigureTorchThread();
        if (_member.IsMfos)
        {
            int index = population.Settings.Members.ToList().FindIndex(m => m.Id == id);
            using var init = new TorchSharp.torch.Generator(Seeds.Derive(population.Settings.Seed, -1, index));
            _agent = new MfosAgent(population.Game.PolicySize, population.Settings.Ppo, init);
        }
        Receive<Begin>(Handle);
        Receive<Choose>(Handle);
        Receive<Finish>(Handle);
        Receive<HostMatch>(Handle);
    }

    protected override void PreStart() =>
        Context.ActorSelection(ShapingPaths.ArenaProxy).Tell(new ArenaActor.LearnerActive(_id, ShapingPaths.NodeOf(Context.System)));

    private void Handle(HostMatch host) =>
        Context.ActorOf(Props.Create(() => new MatchActor(host.Plan, _population)).WithDispatcher(ShapingPaths.ComputeDispatcher), $"match-{host.Plan.Id}-{Guid.NewGuid():N}");

    private void Handle(Begin begin) => Reply(begin.Match, () =>
    {
        // A new Begin replaces any match this member was still in: that match was abandoned and will be re-run.
        DisposeCurrent();
        int seat = begin.Seat == Seat.Row ? 0 : 1;
        ulong seed = Seeds.Derive(_population.Settings.Seed, begin.Number, seat);
        int batch = _population.Settings.Batch, size = _population.Game.PolicySize;
        IMatchPlayer player = _agent is not null
            ? new MfosPlayer(_id, _agent, batch, size, seed)
            : new InnerLearnerPlayer(_population.Config.CreateLearner(_member.Kind, _population.Game), begin.Seat, batch, size, seed);
        _current = (begin.Match, player);
        return new Chosen(_id, begin.Match, 0, player.Begin());
    });

    private void Handle(Choose choose) => Reply(choose.Match, () =>
        new Chosen(_id, choose.Match, choose.Step, Current(choose.Match).Choose(choose.OpponentPrevious, choose.Reward)));

    private void Handle(Finish finish) => Reply(finish.Match, () =>
    {
        var player = Current(finish.Match);
        player.Finish(finish.Reward);
        double[] cooperation = [];
        if (player is MfosPlayer mfos)
        {
            cooperation = mfos.Trajectory.MeanCooperation();
            _agent!.Learn(mfos.Trajectory);
        }
        DisposeCurrent();
        return new Finished(_id, finish.Match, cooperation);
    });

    /// <summary>Runs a protocol step; any failure is reported to the match instead of crashing the member.</summary>
    private void Reply(string match, Func<IShapingMessage> step)
    {
        _population.ConfigureTorchThread();
        try { Sender.Tell(step()); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException)
        {
            _log.Warning("member {0} failed in match {1}: {2}", _id, match, e.Message);
            DisposeCurrent();
            Sender.Tell(new Failed(_id, match, e.Message));
        }
    }

    private IMatchPlayer Current(string match) =>
        _current is { } c && c.Match == match ? c.Player : throw new InvalidOperationException($"member {_id} is not in match {match}");

    private void DisposeCurrent()
    {
        _current?.Player.Dispose();
        _current = null;
    }

    protected override void PostStop()
    {
        DisposeCurrent();
        _agent?.Dispose();
    }
}
