using Akka.Configuration;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Training;

namespace ShapingCluster.Actors.Configuration;

/// <summary>Reads `shaping.experiment` into an <see cref="Experiment"/>, naming any bad key. The trained kind's own
/// settings are its `shaping.learners.&lt;kind&gt;` section, read by the kind.</summary>
internal static class ExperimentReader
{
    public static Experiment Read(Config root)
    {
        const string path = "shaping.experiment";
        var c = root.GetConfig(path);
        var mode = HoconReader.Text(c, "mode");
        if (mode is not ("versus" or "self-play" or "mirror"))
            throw new ShapingConfigException($"{path}.mode must be 'versus', 'self-play' or 'mirror', got '{mode}'");
        try
        {
            return new Experiment
            {
                Name = HoconReader.Text(c, "name"),
                Game = HoconReader.Text(c, "game"),
                Kind = HoconReader.Text(c, "kind"),
                SelfPlay = mode == "self-play",
                Mirror = mode == "mirror",
                Opponent = HoconReader.Text(c, "opponent"),
                Episodes = HoconReader.Integer(c, path, "episodes"),
                Batch = HoconReader.Integer(c, path, "batch"),
                MetaSteps = HoconReader.Integer(c, path, "meta-steps"),
                CheckpointEvery = HoconReader.Integer(c, path, "checkpoint-every"),
                Seed = HoconReader.Long(c, path, "seed"),
                Lambda = Lambda(c.GetConfig("lambda"), path + ".lambda"),
            }.Validated();
        }
        catch (ArgumentException e) { throw new ShapingConfigException($"{path}: {e.Message}"); }
    }

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
