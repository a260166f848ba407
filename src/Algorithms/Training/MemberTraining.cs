using System.Diagnostics;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Algorithms.Training;

/// <summary>
/// Trains members of one kind episode by episode (a plain object: `shaping train`, the benchmarks and the tests
/// drive it). Every random draw of episode n comes from generators seeded by (run seed, n), so a run continued
/// from a checkpoint plays exactly the episodes an uninterrupted run would have.
/// </summary>
public sealed class MemberTraining : IDisposable
{
    /// <summary>Stream of the self-play draw "fresh learners or each other" of episode n (see LambdaSchedule.PlaysFresh).</summary>
    private const long FreshDrawStream = 9;

    /// <summary>The inner learner trained members meet in self-play's λ episodes, as in the reference.</summary>
    private const string SelfPlayOpponent = "nl";

    private readonly MatrixGame _game;
    private readonly IMemberFactory _opponents;
    private readonly IMemberState[] _members;

    /// <param name="kinds">Configured member kinds by name (the trained kind and the opponents').</param>
    public MemberTraining(Experiment experiment, MatrixGame game, Func<string, IMemberFactory> kinds)
    {
        Experiment = experiment.Validated();
        _game = game;
        Kind = kinds(experiment.Kind);
        if (!Kind.LearnsAcrossMatches)
            throw new ArgumentException($"experiment '{experiment.Name}': kind '{experiment.Kind}' does not learn across matches; nothing to train");
        _opponents = kinds(experiment.SelfPlay ? SelfPlayOpponent : experiment.Opponent);
        if (_opponents.LearnsAcrossMatches)
            throw new ArgumentException($"experiment '{experiment.Name}': the opponent must be an inner learner that starts fresh, not '{_opponents.Kind}'");
        _members = Enumerable.Range(0, experiment.Members).Select(i => Kind.Create(Seeds.Initialisation(experiment.Seed, i))).ToArray();
    }

    public Experiment Experiment { get; }

    public IMemberFactory Kind { get; }

    /// <summary>The trained members' states (one, or two in self-play).</summary>
    public IReadOnlyList<IMemberState> Members => _members;

    /// <summary>Episodes finished so far; the next one is EpisodesDone + 1.</summary>
    public int EpisodesDone { get; private set; }

    public bool Finished => EpisodesDone >= Experiment.Episodes;

    /// <summary>The name of trained member <paramref name="i"/> in results ("mfos-0", ...).</summary>
    public string MemberName(int i) => $"{Experiment.Kind}-{i}";

    /// <param name="cancellation">Stops the episode's play between meta-steps (<see cref="OperationCanceledException"/>);
    /// learning, once begun, is not interrupted. A player never changes its member's state (only learning does), so
    /// after a cancellation the members are exactly as the previous episode left them.</param>
    public EpisodeRecord RunNextEpisode(CancellationToken cancellation = default)
    {
        if (Finished) throw new InvalidOperationException($"experiment '{Experiment.Name}' already ran its {Experiment.Episodes} episodes");
        int episode = EpisodesDone + 1;
        var rollout = Stopwatch.StartNew();
        bool annealed = Experiment.SelfPlay || Experiment.Mirror;
        double lambda = annealed ? Experiment.Lambda.At(episode) : double.NaN;
        string opponent;
        string[] sides;
        double[] rewards, cooperation;
        // Every player draws from its own generator, seeded by (run seed, episode, stream): 1 + i for trained member
        // i (a mirror member's column-seat player: 2), 10 + i for the inner learner member i meets.
        var learners = new List<(int Member, IMatchPlayer Player)>();
        if (!annealed || PlaysFresh(episode))
        {
            opponent = Experiment.SelfPlay ? SelfPlayOpponent : Experiment.Opponent;
            // The members' episodes against fresh learners share nothing: in self-play, play them side by side.
            var games = new (IMatchPlayer Player, MatchResult Result)[_members.Length];
            SideBySide(Enumerable.Range(0, _members.Length).Select(i => (Action)(() => games[i] = PlayFresh(i, episode, cancellation))).ToArray());
            learners.AddRange(games.Select((g, i) => (i, g.Player)));
            sides = Experiment.SelfPlay ? [MemberName(0), MemberName(1)] : Experiment.Mirror ? [MemberName(0), "opponent"] : [Experiment.Kind, opponent];
            // Side 0 is member 0 (at the column seat); side 1 is member 1 in self-play, the inner learner otherwise.
            rewards = Experiment.SelfPlay ? [games[0].Result.Col.Reward, games[1].Result.Col.Reward] : [games[0].Result.Col.Reward, games[0].Result.Row.Reward];
            cooperation = games[0].Result.Col.Cooperation;
        }
        else
        {
            opponent = "self";
            sides = Experiment.Mirror ? [MemberName(0), "opponent"] : [MemberName(0), MemberName(1)];
            // Self-play: member 0 at the row seat, member 1 at the column seat; mirror: member 0 at both.
            int colMember = Experiment.Mirror ? 0 : 1;
            var row = Player(0, Seat.Row, episode, stream: 1);
            var col = Player(colMember, Seat.Col, episode, stream: 2);
            MatchResult result;
            try { result = Match.Play(new MatchReferee(_game, Experiment.Batch, Experiment.MetaSteps), row, col, cancellation: cancellation); }
            catch
            {
                row.Dispose();
                col.Dispose();
                throw;
            }
            learners.Add((0, row));
            learners.Add((colMember, col));
            rewards = [result.Row.Reward, result.Col.Reward];
            cooperation = result.Row.Cooperation;
        }
        double rolloutSeconds = rollout.Elapsed.TotalSeconds;
        var update = Stopwatch.StartNew();
        var reports = new LearnReport[learners.Count];
        // In self-play the two members learn side by side: each update touches only its own parameters. A mirror
        // member learns from its two players one after the other (row seat first).
        try
        {
            var updates = learners.Select((l, k) => (Action)(() => reports[k] = _members[l.Member].Learn(l.Player))).ToArray();
            if (Experiment.Mirror) foreach (var learn in updates) learn();
            else SideBySide(updates);
        }
        finally
        {
            foreach (var l in learners) l.Player.Dispose();
        }
        double updateSeconds = update.Elapsed.TotalSeconds;
        EpisodesDone = episode;
        return new EpisodeRecord(episode, lambda, opponent, sides, rewards, cooperation, reports, rolloutSeconds, updateSeconds);
    }

    /// <summary>Member <paramref name="member"/> (column seat, the reference's M-FOS seat) against a fresh inner
    /// learner (row seat); returns the member's player, still to learn from, and the result.</summary>
    private (IMatchPlayer, MatchResult) PlayFresh(int member, int episode, CancellationToken cancellation)
    {
        using var opponentState = _opponents.Create(0);
        using var inner = opponentState.NewPlayer(new PlayerRequest(_opponents.Kind, Seat.Row, Experiment.Batch, Seeds.Derive(Experiment.Seed, episode, 10 + member)));
        var player = Player(member, Seat.Col, episode, stream: 1 + member);
        try { return (player, Match.Play(new MatchReferee(_game, Experiment.Batch, Experiment.MetaSteps), inner, player, cancellation: cancellation)); }
        catch
        {
            player.Dispose();
            throw;
        }
    }

    private IMatchPlayer Player(int member, Seat seat, int episode, long stream) =>
        _members[member].NewPlayer(new PlayerRequest(MemberName(member), seat, Experiment.Batch, Seeds.Derive(Experiment.Seed, episode, stream)));

    /// <summary>Runs independent pieces of tensor work on their own threads (one piece runs on the caller's), each
    /// thread configured like the process (flush-to-zero is per thread); a single piece runs inline.</summary>
    private static void SideBySide(params Action[] work)
    {
        if (work.Length == 1) { work[0](); return; }
        try
        {
            Parallel.Invoke(work.Select(w => (Action)(() => { TorchRuntime.EnsureThreadConfigured(); w(); })).ToArray());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1 || e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Whether self-play or mirror episode <paramref name="episode"/> is played against fresh inner learners.</summary>
    public bool PlaysFresh(int episode) => Experiment.Lambda.PlaysFresh(Experiment.Seed, episode, FreshDrawStream);

    /// <summary>The trained members and the episode count, in the one checkpoint format.</summary>
    public MemberCheckpoint Checkpoint() =>
        new(Experiment.Kind, Experiment.Name, EpisodesDone, [], _members.Select(m => m.Save()).ToList());

    /// <exception cref="InvalidDataException">the checkpoint is corrupt or holds other members.</exception>
    public void Restore(MemberCheckpoint checkpoint)
    {
        if (checkpoint.Kind != Experiment.Kind)
            throw new InvalidDataException($"the checkpoint holds '{checkpoint.Kind}' members, this experiment trains '{Experiment.Kind}'");
        if (checkpoint.States.Count != _members.Length)
            throw new InvalidDataException($"the checkpoint holds {checkpoint.States.Count} members, this experiment trains {_members.Length}");
        if (checkpoint.Progress < 0 || checkpoint.Progress > Experiment.Episodes)
            throw new InvalidDataException($"the checkpoint is after episode {checkpoint.Progress}, this experiment has {Experiment.Episodes}");
        for (int i = 0; i < _members.Length; i++) _members[i].Load(checkpoint.States[i]);
        EpisodesDone = (int)checkpoint.Progress;
    }

    public void Dispose()
    {
        foreach (var member in _members) member.Dispose();
    }
}
