using System.Reflection;
using Akka.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using TorchSharp;

namespace ShapingCluster.Actors.Configuration;

/// <summary>
/// The resolved `shaping { }` configuration: the user's files over the embedded defaults (reference.conf and
/// hocon/games.conf). Loading fails with a message naming the file or key on malformed HOCON, unknown keys,
/// bad values or ill-formed games, before anything runs.
/// </summary>
public sealed class ShapingConfig
{
    private static readonly string[] GameKeys = ["description", "iterated", "discount", "row", "col"];

    private readonly Dictionary<string, MatrixGame> _games;
    private readonly Config _user;

    private ShapingConfig(Config root, Config user)
    {
        Root = root;
        _user = user;
        _games = ReadGames(root.GetConfig("shaping.games"));
        foreach (var learner in HoconReader.Keys(root.GetConfig("shaping.learners"))) ReadSettings(learner);
        IntraOpThreads = HoconReader.Integer(root.GetConfig("shaping.torch"), "shaping.torch", "intra-op-threads");
        FlushDenormal = HoconReader.Flag(root.GetConfig("shaping.torch"), "shaping.torch", "flush-denormal");
        if (IntraOpThreads < 1) throw new ShapingConfigException("shaping.torch.intra-op-threads must be ≥ 1");
    }

    /// <summary>The merged HOCON tree (user files over the defaults).</summary>
    public Config Root { get; }

    public int IntraOpThreads { get; }

    public bool FlushDenormal { get; }

    public IReadOnlyDictionary<string, MatrixGame> Games => _games;

    /// <summary>The defaults alone.</summary>
    public static ShapingConfig Default() => Load([]);

    /// <summary>Loads user files in order (later files override earlier ones) over the embedded defaults.</summary>
    public static ShapingConfig Load(IEnumerable<string> files)
    {
        var defaults = Embedded("ShapingCluster.reference.conf").WithFallback(Embedded("ShapingCluster.games.conf"));
        var merged = defaults;
        var user = Config.Empty;
        foreach (var file in files)
        {
            var parsed = ParseFile(file);
            CheckKnownKeys(parsed.GetConfig("shaping"), defaults.GetConfig("shaping"), "shaping", file);
            foreach (var key in HoconReader.Keys(parsed).Where(k => k != "shaping" && k != "akka"))
                throw new ShapingConfigException($"{file}: unknown top-level key '{key}'; expected 'shaping' or 'akka'");
            merged = parsed.WithFallback(merged);
            user = parsed.WithFallback(user);
        }
        return new ShapingConfig(merged, user);
    }

    /// <summary>Applies the torch settings to this process (call once at start-up, before any tensor work).</summary>
    public void ApplyTorchSettings()
    {
        if (!Algorithms.Numerics.TorchRuntime.Configure(IntraOpThreads, FlushDenormal))
            Console.Error.WriteLine("shaping: warning: libtorch could not flush denormals to zero here; training may run slower");
    }

    /// <summary>The `shaping.experiment` section as an M-FOS experiment, with its game and opponent checked.</summary>
    public Algorithms.Mfos.MfosExperiment Experiment()
    {
        var experiment = ExperimentReader.Read(Root);
        Game(experiment.Game);
        CheckLearnerName(experiment.Opponent);
        return experiment;
    }

    /// <summary>Whether the user's files describe a population run (they set `shaping.population`).</summary>
    public bool DescribesPopulation => !_user.IsEmpty && _user.HasPath("shaping.population");

    /// <summary>The `shaping.population` section, with its game, opponent and member kinds checked.</summary>
    public Algorithms.Population.PopulationSettings Population()
    {
        var population = PopulationReader.Read(Root);
        Game(population.Game);
        CheckLearnerName(population.Opponent);
        return population;
    }

    /// <summary>The `shaping.persistence` section.</summary>
    public Persistence.PersistenceSettings Persistence()
    {
        const string path = "shaping.persistence";
        var c = Root.GetConfig(path);
        var store = HoconReader.Text(c, "store");
        if (store is not ("sqlite" or "postgresql" or "memory"))
            throw new ShapingConfigException($"{path}.store must be sqlite, postgresql or memory, got '{store}'");
        var settings = new Persistence.PersistenceSettings(store, HoconReader.Text(c, "postgresql.connection-string").Trim('"'),
            HoconReader.Integer(c, path, "snapshot-every"), HoconReader.Integer(c, path, "keep-snapshots"));
        if (settings.SnapshotEvery < 1 || settings.KeepSnapshots < 1)
            throw new ShapingConfigException($"{path}: snapshot-every and keep-snapshots must be ≥ 1");
        return settings;
    }

    /// <summary>Host name this node binds to and advertises.</summary>
    public string NodeHostname => HoconReader.Text(Root.GetConfig("shaping.node"), "hostname").Trim('"');

    /// <summary>Threads of the compute dispatcher (torch work) on this node.</summary>
    public int ComputeThreads
    {
        get
        {
            int n = HoconReader.Integer(Root.GetConfig("shaping.node"), "shaping.node", "compute-threads");
            return n >= 1 ? n : throw new ShapingConfigException("shaping.node.compute-threads must be ≥ 1");
        }
    }

    public MatrixGame Game(string name) =>
        _games.TryGetValue(name, out var game)
            ? game
            : throw new ShapingConfigException($"unknown game '{name}'; known games: {string.Join(", ", _games.Keys)}");

    public IInnerLearner CreateLearner(string name, MatrixGame game) =>
        LearnerCatalog.Create(CheckLearnerName(name), game, LearnerSettings(name, game));

    /// <summary>The settings of learner <paramref name="name"/> for <paramref name="game"/>, M-MAML's init resolved.</summary>
    public LearnerSettings LearnerSettings(string name, MatrixGame game)
    {
        var settings = ReadSettings(CheckLearnerName(name));
        return name == "mmaml" ? settings with { InitialLogits = MamlInit(Root.GetConfig($"shaping.learners.{name}"), $"shaping.learners.{name}", game) } : settings;
    }

    private LearnerSettings ReadSettings(string name)
    {
        string path = $"shaping.learners.{name}";
        var c = Root.GetConfig(path);
        var settings = new LearnerSettings();
        foreach (var key in HoconReader.Keys(c))
        {
            settings = key switch
            {
                "learning-rate" => settings with { LearningRate = HoconReader.Number(c, path, key) },
                "lookahead-rate" => settings with { LookaheadRate = HoconReader.Number(c, path, key) },
                "lookahead-steps" => settings with { LookaheadSteps = HoconReader.Integer(c, path, key) },
                "rollouts" => settings with { Rollouts = HoconReader.Integer(c, path, key) },
                "rollout-length" => settings with { RolloutLength = HoconReader.Integer(c, path, key) },
                "opponent-model" => settings with { OpponentModel = HoconReader.Flag(c, path, key) },
                "opponent-model-prior" => settings with { OpponentModelPrior = HoconReader.Number(c, path, key) },
                "baseline" => settings with { Baseline = HoconReader.Text(c, key).Trim('"') switch
                {
                    "none" => DiceBaseline.None,
                    "mean" => DiceBaseline.Mean,
                    "value" => DiceBaseline.Value,
                    var other => throw new ShapingConfigException($"{path}.baseline must be none, mean or value, got '{other}'"),
                } },
                "init" or "published-id" or "training" => settings,
                _ => throw new ShapingConfigException($"{path}: unknown key '{key}'"),
            };
        }
        if (settings.Rollouts < 1 || settings.RolloutLength < 1 || settings.LookaheadSteps < 0)
            throw new ShapingConfigException($"{path}: rollouts and rollout-length must be ≥ 1, lookahead-steps ≥ 0");
        if (!double.IsFinite(settings.LearningRate) || !double.IsFinite(settings.LookaheadRate))
            throw new ShapingConfigException($"{path}: learning rates must be finite numbers");
        return settings;
    }

    private float[] MamlInit(Config c, string path, MatrixGame game)
    {
        var init = HoconReader.Text(c, "init");
        switch (init)
        {
            case "published":
                int id = HoconReader.Integer(c, path, "published-id");
                var table = Root.GetConfig("shaping.mmaml-published");
                if (!table.HasPath(game.Name))
                    throw new ShapingConfigException(
                        $"{path}: the reference published no M-MAML init for game '{game.Name}' (it has: {string.Join(", ", HoconReader.Keys(table))}); use init = trained");
                var rows = HoconReader.NumberRows(table, "shaping.mmaml-published", game.Name);
                if (id < 0 || id >= rows.Length)
                    throw new ShapingConfigException($"{path}.published-id must be 0..{rows.Length - 1}, got {id}");
                return rows[id];
            case "trained":
                var t = c.GetConfig("training");
                string tp = path + ".training";
                var training = new MamlInitialisation(HoconReader.Integer(t, tp, "iterations"), HoconReader.Integer(t, tp, "batch"),
                    HoconReader.Integer(t, tp, "unroll"), HoconReader.Number(t, tp, "outer-learning-rate"));
                using (var generator = new torch.Generator((ulong)HoconReader.Integer(t, tp, "seed")))
                    return training.Train(game, generator).Init;
            default:
                throw new ShapingConfigException($"{path}.init must be 'published' or 'trained', got '{init}'");
        }
    }

    private string CheckLearnerName(string name)
    {
        if (!LearnerCatalog.Names.Contains(name))
            throw new ShapingConfigException($"unknown learner '{name}'; known learners: {string.Join(", ", LearnerCatalog.Names)}");
        return name;
    }

    private static Dictionary<string, MatrixGame> ReadGames(Config games)
    {
        var result = new Dictionary<string, MatrixGame>();
        foreach (var name in HoconReader.Keys(games))
        {
            string path = $"shaping.games.{name}";
            var g = games.GetConfig(name);
            if (g is null || g.IsEmpty) throw new ShapingConfigException($"{path} must be an object with {string.Join(", ", GameKeys)}");
            foreach (var key in HoconReader.Keys(g).Where(k => !GameKeys.Contains(k)))
                throw new ShapingConfigException($"{path}: unknown key '{key}'; a game has {string.Join(", ", GameKeys)}");
            foreach (var key in new[] { "iterated", "row", "col" }.Where(k => !g.HasPath(k)))
                throw new ShapingConfigException($"{path}: missing '{key}'");
            var row = HoconReader.Numbers(g, path, "row");
            var col = HoconReader.Numbers(g, path, "col");
            if (row.Length != 4 || col.Length != 4)
                throw new ShapingConfigException($"{path}: row and col need 4 payoffs each (CC, CD, DC, DD)");
            var game = new MatrixGame(name, row, col, HoconReader.Flag(g, path, "iterated"),
                g.HasPath("discount") ? HoconReader.Number(g, path, "discount") : 0.96,
                g.HasPath("description") ? HoconReader.Text(g, "description") : "");
            try { result[name] = game.Validated(); }
            catch (ArgumentException e) { throw new ShapingConfigException($"{path}: {e.Message}"); }
        }
        return result;
    }

    /// <summary>Every key the user sets under `shaping` must exist in the defaults, except inside the open maps
    /// (games are checked by their own schema; published M-MAML tables may grow).</summary>
    private static void CheckKnownKeys(Config? user, Config reference, string path, string file)
    {
        if (user is null || user.IsEmpty) return;
        foreach (var key in HoconReader.Keys(user))
        {
            string full = $"{path}.{key}";
            if (full is "shaping.games" or "shaping.mmaml-published") continue;
            if (!reference.HasPath(key))
            {
                var known = string.Join(", ", HoconReader.Keys(reference));
                throw new ShapingConfigException($"{file}: unknown key '{full}'; known keys here: {known}");
            }
            var child = user.GetValue(key);
            if (child.IsObject()) CheckKnownKeys(user.GetConfig(key), reference.GetConfig(key), full, file);
        }
    }

    private static Config ParseFile(string file)
    {
        if (!File.Exists(file)) throw new ShapingConfigException($"config file '{file}' not found");
        var text = File.ReadAllText(file);
        // Akka's HOCON parser accepts some unbalanced input silently; check the nesting first.
        var nesting = HoconNesting.FindProblem(text);
        if (nesting is not null) throw new ShapingConfigException($"{file}: malformed HOCON: {nesting}");
        try { return ConfigurationFactory.ParseString(text); }
        catch (Exception e)
        {
            throw new ShapingConfigException($"{file}: malformed HOCON: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    private static Config Embedded(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
