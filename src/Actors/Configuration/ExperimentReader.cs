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
        var ppo = c.GetConfig("ppo");
        const string ppoPath = path + ".ppo";
        var lambda = c.GetConfig("lambda");
        const string lambdaPath = path + ".lambda";
        var shape = HoconReader.Text(lambda, "shape") switch
        {
            "linear" => LambdaShape.Linear,
            "exponential" => LambdaShape.Exponential,
            var other => throw new ShapingConfigException($"{lambdaPath}.shape must be 'linear' or 'exponential', got '{other}'"),
        };
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
                Ppo = new PpoSettings
                {
                    LearningRate = HoconReader.Number(ppo, ppoPath, "learning-rate"),
                    Epochs = HoconReader.Integer(ppo, ppoPath, "epochs"),
                    Clip = HoconReader.Number(ppo, ppoPath, "clip"),
                    Discount = HoconReader.Number(ppo, ppoPath, "discount"),
                    EntropyCoefficient = HoconReader.Number(ppo, ppoPath, "entropy"),
                    ValueCoefficient = HoconReader.Number(ppo, ppoPath, "value-coefficient"),
                    Hidden = HoconReader.Integer(ppo, ppoPath, "hidden"),
                    ChunkSize = HoconReader.Integer(ppo, ppoPath, "chunk"),
                },
                Lambda = new LambdaSchedule(HoconReader.Number(lambda, lambdaPath, "start"), HoconReader.Number(lambda, lambdaPath, "step"), shape),
            }.Validated();
        }
        catch (ArgumentException e) { throw new ShapingConfigException($"{path}: {e.Message}"); }
    }
}
