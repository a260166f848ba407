using Akka.Configuration;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Population.Pairings;

namespace ShapingCluster.Actors.Configuration;

/// <summary>Reads `shaping.population` into <see cref="PopulationSettings"/>, naming any bad key.</summary>
internal static class PopulationReader
{
    private const string PathName = "shaping.population";

    public static PopulationSettings Read(Config root)
    {
        var c = root.GetConfig(PathName);
        var pairing = HoconReader.Text(c, "pairing") switch
        {
            "self-play" => Pairing.SelfPlay,
            "round-robin" => Pairing.RoundRobin,
            "fixed" => Pairing.Fixed,
            "pfsp" => Pairing.Pfsp,
            "league" => Pairing.League,
            var other => throw new ShapingConfigException($"{PathName}.pairing must be self-play, round-robin, fixed, pfsp or league, got '{other}'"),
        };
        TimeSpan Duration(string key)
        {
            try { return c.GetTimeSpan(key); }
            catch (Exception) { throw new ShapingConfigException($"{PathName}.{key} must be a duration such as 600s"); }
        }
        try
        {
            return new PopulationSettings
            {
                Name = HoconReader.Text(c, "name"),
                Game = HoconReader.Text(c, "game"),
                Members = Members(c),
                Pairing = pairing,
                Opponent = HoconReader.Text(c, "opponent"),
                Rounds = HoconReader.Integer(c, PathName, "rounds"),
                Batch = HoconReader.Integer(c, PathName, "batch"),
                MetaSteps = HoconReader.Integer(c, PathName, "meta-steps"),
                MaxParallelMatches = HoconReader.Integer(c, PathName, "max-parallel-matches"),
                MinNodes = HoconReader.Integer(c, PathName, "min-nodes"),
                MatchTimeout = Duration("match-timeout"),
                StepTimeout = Duration("step-timeout"),
                Seed = HoconReader.Long(c, PathName, "seed"),
                Lambda = ExperimentReader.Lambda(c.GetConfig("lambda"), PathName + ".lambda"),
                MatchesPerRound = HoconReader.Integer(c, PathName, "matches-per-round"),
                Weighting = Weighting(c.GetConfig("weighting"), PathName + ".weighting"),
                FreezeEvery = HoconReader.Integer(c, PathName, "league.freeze-every"),
                KeepVersions = HoconReader.Integer(c, PathName, "league.keep-versions"),
            }.Validated();
        }
        catch (ArgumentException e) { throw new ShapingConfigException($"{PathName}: {e.Message}"); }
    }

    private static OpponentWeighting Weighting(Config c, string path)
    {
        var shape = HoconReader.Text(c, "shape") switch
        {
            "hard" => WeightingShape.Hard,
            "variance" => WeightingShape.Variance,
            "uniform" => WeightingShape.Uniform,
            var other => throw new ShapingConfigException($"{path}.shape must be hard, variance or uniform, got '{other}'"),
        };
        return new OpponentWeighting(shape, HoconReader.Number(c, path, "exponent"));
    }

    private static List<MemberSpec> Members(Config c)
    {
        IList<string> entries;
        try { entries = c.GetStringList("members"); }
        catch (Exception) { throw new ShapingConfigException($"{PathName}.members must be a list such as [\"mfos:6\", \"lola:2\"]"); }
        var members = new List<MemberSpec>();
        foreach (var entry in entries)
        {
            var parts = entry.Split(':');
            int count = 1;
            if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], out count) || count < 1)))
                throw new ShapingConfigException($"{PathName}.members: '{entry}' is not <kind> or <kind>:<count>");
            var kind = parts[0].Trim();
            if (kind.Contains('@')) throw new ShapingConfigException($"{PathName}.members: '{entry}': '@' names frozen versions, which the league makes itself");
            if (!MemberKinds.IsKnown(kind))
                throw new ShapingConfigException($"{PathName}.members: unknown kind '{kind}'; known: {string.Join(", ", MemberKinds.Names)}");
            bool learns = MemberKinds.Get(kind).LearnsAcrossMatches;
            int first = members.Count(m => m.Kind == kind);
            for (int i = 0; i < count; i++) members.Add(new MemberSpec($"{kind}-{first + i}", kind, learns));
        }
        return members;
    }
}
