using System.Diagnostics;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
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

    private readonly MetaGame _metaGame;
    private readonly Func<string, IInnerLearner> _learners;
    private readonly MfosAgent[] _agents;

    public MfosTraining(MfosExperiment experiment, MatrixGame game, Func<string, IInnerLearner> learners)
    {
        Experiment = experiment.Validated();
        _metaGame = new MetaGame(game);
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
        using var environment = new Generator(Seeds.Derive(Experiment.Seed, episode, 0));
        var acting = Enumerable.Range(0, _agents.Length).Select(i => new Generator(Seeds.Derive(Experiment.Seed, episode, 1 + i))).ToArray();
        var rollout = Stopwatch.StartNew();
        double lambda = double.NaN;
        string opponent;
        MetaEpisode[] played;
        string[] sides;
        if (!Experiment.SelfPlay)
        {
            opponent = Experiment.Opponent;
            played = [_metaGame.VersusLearner(_agents[0], _learners(opponent), Experiment.Batch, Experiment.MetaSteps, environment, acting[0])];
            sides = ["mfos", opponent];
        }
        else
        {
            lambda = Experiment.Lambda.At(episode);
            sides = ["mfos-0", "mfos-1"];
            if (PlaysNaiveLearners(episode))
            {
                opponent = "nl";
                played = _agents.Select((agent, i) =>
                    _metaGame.VersusLearner(agent, _learners("nl"), Experiment.Batch, Experiment.MetaSteps, environment, acting[i])).ToArray();
            }
            else
            {
                opponent = "self";
                played = [_metaGame.SelfPlay(_agents[0], _agents[1], Experiment.Batch, Experiment.MetaSteps, environment, acting[0], acting[1])];
            }
        }
        double rolloutSeconds = rollout.Elapsed.TotalSeconds;
        var trajectories = played.SelectMany(p => p.Trajectories).ToArray();
        var rewards = played.Length == 1 ? played[0].Rewards : played.Select(p => p.Rewards[0]).ToArray();
        var cooperation = trajectories[0].MeanCooperation();
        var update = Stopwatch.StartNew();
        for (int i = 0; i < _agents.Length; i++) _agents[i].Learn(trajectories[i]);
        double updateSeconds = update.Elapsed.TotalSeconds;
        foreach (var p in played) p.Dispose();
        foreach (var g in acting) g.Dispose();
        EpisodesDone = episode;
        return new EpisodeRecord(episode, lambda, opponent, sides, rewards, cooperation, rolloutSeconds, updateSeconds);
    }

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
