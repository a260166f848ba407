using Akka.Configuration;
using ShapingCluster.Algorithms.Mfos;

namespace ShapingCluster.Actors.Configuration;

/// <summary>Reads `shaping.experiment` into an <see cref="MfosExperiment"/>, naming any bad key.</summary>
internal static class ExperimentReader
{
    public static MfosExperiment Read(Config root)
    {
        const string path = "shaping.experiment";
        var c = root.GetConfig(path);
        var mode = HoconReader.Text(c, "mode");
        if (mode is not ("versus" or "self-play"))
            throw new ShapingConfigException($"{path}.mode must be 'versus' or 'self-play', got '{mode}'");
        try
        {
            return new MfosExperiment
            {
                Name = HoconReader.Text(c, "name"),
                Game = HoconReader.Text(c, "game"),
                SelfPlay = mode == "self-play",
                Opponent = HoconReader.Text(c, "opponent"),
                Episodes = HoconReader.Integer(c, path, "episodes"),
                Batch = HoconReader.Integer(c, path, "batch"),
                MetaSteps = HoconReader.Integer(c, path, "meta-steps"),
                CheckpointEvery = HoconReader.Integer(c, path, "checkpoint-every"),
                Seed = HoconReader.Integer(c, path, "seed"),
                Ppo = Ppo(c.GetConfig("ppo"), path + ".ppo"),
                Lambda = Lambda(c.GetConfig("lambda"), path + ".lambda"),
            }.Validated();
        }
        catch (ArgumentException e) { throw new ShapingConfigException($"{path}: {e.Message}"); }
    }

    public static PpoSettings Ppo(Config ppo, string path) => new()
    {
        LearningRate = HoconReader.Number(ppo, path, "learning-rate"),
        Epochs = HoconReader.Integer(ppo, path, "epochs"),
        Clip = HoconReader.Number(ppo, path, "clip"),
        Discount = HoconReader.Number(ppo, path, "discount"),
        EntropyCoefficient = HoconReader.Number(ppo, path, "entropy"),
        ValueCoefficient = HoconReader.Number(ppo, path, "value-coefficient"),
        Hidden = HoconReader.Integer(ppo, path, "hidden"),
        ChunkSize = HoconReader.Integer(ppo, path, "chunk"),
    };

    public static LambdaSchedule Lambda(Config lambda, string path)
    {
        var shape = HoconReader.Text(lambda, "shape") switch
        {
            "linear" => LambdaShape.Linear,
            "exponential" => LambdaShape.Exponential,
            var other => throw new ShapingConfigException($"{path}.shape must be 'linear' or 'exponential', got '{other}'"),
        };
        return new LambdaSchedule(HoconReader.Number(lambda, path, "start"), HoconReader.Number(lambda, path, "step"), shape);
    }
}
