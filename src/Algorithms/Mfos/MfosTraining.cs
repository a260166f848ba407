using System.Diagnostics;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// Trains M-FOS episode by episode (a plain object: the CLI, tests and later the actors drive it). Every random
/// draw of episode n comes from generators seeded by (run seed, n), so a run continued from a checkpoint plays
/// exactly the episodes an uninterrupted run would have.
/// </summary>
public sealed class MfosTraining : IDisposable
{
    private const string CheckpointMagic = "SHAPINGCLUSTER-MFOS-CHECKPOINT";
    private const int CheckpointVersion = 1;

    private readonly MatrixGame _game;
    private readonly Func<string, IInnerLearner> _learners;
    private readonly MfosAgent[] _agents;

    public MfosTraining(MfosExperiment experiment, MatrixGame game, Func<string, IInnerLearner> learners)
    {
        Experiment = experiment.Validated();
        _game = game;
        _learners = learners;
        _agents = Enumerable.Range(0, experiment.SelfPlay ? 2 : 1)
            .Select(i =>
            {
                using var init = new Generator(Seeds.Derive(experiment.Seed, -1, i));
                return new MfosAgent(game.PolicySize, experiment.Ppo, init);
            }).ToArray();
    }

    public MfosExperiment Experiment { get; }

    /// <summary>Episodes finished so far; the next one is EpisodesDone + 1.</summary>
    public int EpisodesDone { get; private set; }

    public bool Finished => EpisodesDone >= Experiment.Episodes;

    public EpisodeRecord RunNextEpisode()
    {
        if (Finished) throw new InvalidOperationException($"experiment '{Experiment.Name}' already ran its {Experiment.Episodes} episodes");
        int episode = EpisodesDone + 1;
        var rollout = Stopwatch.StartNew();
        double lambda = double.NaN;
        string opponent;
        string[] sides;
        // Every player draws from its own generator, seeded by (run seed, episode, stream): 1 + i for M-FOS agent i,
        // 10 + i for the inner learner agent i meets.
        var players = new List<(MfosAgent Agent, MfosPlayer Player, MatchResult Result)>();
        (MfosAgent, MfosPlayer, MatchResult) Play(int i, string learner)
        {
            using var inner = new InnerLearnerPlayer(_learners(learner), Seat.Row, Experiment.Batch, _game.PolicySize, Seeds.Derive(Experiment.Seed, episode, 10 + i));
            var mfos = Player(i, episode);
            return (_agents[i], mfos, Match.Play(new MatchReferee(_game, Experiment.Batch, Experiment.MetaSteps), inner, mfos));
        }
        if (!Experiment.SelfPlay)
        {
            opponent = Experiment.Opponent;
            sides = ["mfos", opponent];
            players.Add(Play(0, opponent));
        }
        else
        {
            lambda = Experiment.Lambda.At(episode);
            sides = ["mfos-0", "mfos-1"];
            if (PlaysNaiveLearners(episode))
            {
                opponent = "nl";
                // The two agents' episodes share nothing: play them side by side.
                var games = new (MfosAgent, MfosPlayer, MatchResult)[2];
                SideBySide(() => games[0] = Play(0, "nl"), () => games[1] = Play(1, "nl"));
                players.AddRange(games);
            }
            else
            {
                opponent = "self";
                var row = Player(0, episode);
                var col = Player(1, episode);
                var result = Match.Play(new MatchReferee(_game, Experiment.Batch, Experiment.MetaSteps), row, col);
                players.Add((_agents[0], row, result));
                players.Add((_agents[1], col, result));
            }
        }
        double rolloutSeconds = rollout.Elapsed.TotalSeconds;
        // Side 0 is always M-FOS agent 0; side 1 is agent 1 in self-play, the inner learner otherwise.
        double[] rewards = players.Count == 2
            ? players.Select(p => p.Player.Trajectory.MeanReward()).ToArray()
            : [players[0].Player.Trajectory.MeanReward(), players[0].Result.Row.Reward];
        var cooperation = players[0].Player.Trajectory.MeanCooperation();
        var update = Stopwatch.StartNew();
        // In self-play the two agents learn side by side: each update touches only its own network and Adam state.
        SideBySide(players.Select(p => (Action)(() => p.Agent.Learn(p.Player.Trajectory))).ToArray());
        foreach (var p in players) p.Player.Dispose();
        double updateSeconds = update.Elapsed.TotalSeconds;
        EpisodesDone = episode;
        return new EpisodeRecord(episode, lambda, opponent, sides, rewards, cooperation, rolloutSeconds, updateSeconds);
    }

    /// <summary>Runs independent pieces of tensor work on their own threads (one piece runs on the caller's), each
    /// thread configured like the process (flush-to-zero is per thread); a single piece runs inline.</summary>
    private static void SideBySide(params Action[] work)
    {
        if (work.Length == 1) { work[0](); return; }
        try
        {
            Parallel.Invoke(work.Select(w => (Action)(() => { TorchRuntime.EnsureThreadConfigured(); w(); })).ToArray());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private MfosPlayer Player(int agent, int episode) =>
        new($"mfos-{agent}", _agents[agent], Experiment.Batch, _game.PolicySize, Seeds.Derive(Experiment.Seed, episode, 1 + agent));

    /// <summary>Whether self-play episode <paramref name="episode"/> is played against naive learners: with
    /// probability λ(episode), drawn from the episode's own seed.</summary>
    public bool PlaysNaiveLearners(int episode)
    {
        var draw = new Random((int)(Seeds.Derive(Experiment.Seed, episode, 9) & 0x7fffffff)).NextDouble();
        return draw < Experiment.Lambda.At(episode);
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointMagic);
        writer.Write(CheckpointVersion);
        writer.Write(Experiment.Name);
        writer.Write(_agents.Length);
        writer.Write(EpisodesDone);
        foreach (var agent in _agents) agent.Save(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); } catch (Exception) { magic = ""; }
        if (magic != CheckpointMagic) throw new InvalidDataException("not an M-FOS checkpoint");
        int version = reader.ReadInt32();
        if (version != CheckpointVersion) throw new InvalidDataException($"checkpoint format {version}, this build reads {CheckpointVersion}");
        string name = reader.ReadString();
        int agents = reader.ReadInt32();
        if (agents != _agents.Length) throw new InvalidDataException($"checkpoint of '{name}' holds {agents} agents, this experiment has {_agents.Length}");
        int done = reader.ReadInt32();
        foreach (var agent in _agents) agent.Load(reader);
        EpisodesDone = done;
    }

    public void Dispose()
    {
        foreach (var agent in _agents) agent.Dispose();
    }
}
