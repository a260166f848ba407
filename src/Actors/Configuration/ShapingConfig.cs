using System.Reflection;
using Akka.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Members;

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
    // Configured kinds are built once per (kind, game): an M-MAML learner with a trained init trains once, not per match.
    private readonly Dictionary<(string Kind, string Game), IMemberFactory> _factories = [];

    private ShapingConfig(Config root, Config user)
    {
        Root = root;
        _user = user;
        _games = ReadGames(root.GetConfig("shaping.games"));
        foreach (var learner in HoconReader.Keys(root.GetConfig("shaping.learners")).Where(LearnerCatalog.Names.Contains)) ReadSettings(learner);
        IntraOpThreads = HoconReader.Integer(root.GetConfig("shaping.torch"), "shaping.torch", "intra-op-threads");
        FlushDenormal = HoconReader.Flag(root.GetConfig("shaping.torch"), "shaping.torch", "flush-denormal");
        if (IntraOpThreads < 1) throw new ShapingConfigException("shaping.torch.intra-op-threads must be ≥ 1");
    }

    /// <summary>The merged HOCON tree (user files over the defaults).</summary>
    public Config Root { get; }

    public int IntraOpThreads { get; }

    public bool FlushDenormal { get; }

    public IReadOnlyDictionary<string, MatrixGame> Games => _games;

    /// <summary>The defaults, with optional HOCON overrides (tests, command-line options).</summary>
    public static ShapingConfig Default(params string[] overrides) => Load([], overrides);

    /// <summary>Loads user files in order (later files override earlier ones) over the embedded defaults, then the
    /// <paramref name="overrides"/> (HOCON text from command-line options) over the files, checked the same way.</summary>
    public static ShapingConfig Load(IEnumerable<string> files, IEnumerable<string>? overrides = null)
    {
        var defaults = Embedded("ShapingCluster.reference.conf").WithFallback(Embedded("ShapingCluster.games.conf"));
        var merged = defaults;
        var user = Config.Empty;
        var sources = files.Select(f => (Name: f, Text: (string?)null)).Concat((overrides ?? []).Select(o => (Name: "command-line override", Text: (string?)o)));
        foreach (var (file, text) in sources)
        {
            var parsed = text is null ? ParseFile(file) : Parse(file, text);
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

    /// <summary>The `shaping.experiment` section, with its game, kind and opponent checked (the kind's settings
    /// are read here, so a bad one fails before anything runs).</summary>
    public Algorithms.Training.Experiment Experiment()
    {
        var experiment = ExperimentReader.Read(Root);
        var game = Game(experiment.Game);
        if (!MemberFactory(experiment.Kind, game).LearnsAcrossMatches)
            throw new ShapingConfigException($"shaping.experiment.kind: '{experiment.Kind}' does not learn across matches; train one of {string.Join(", ", MemberKinds.LearningKindNames)}");
        if (!experiment.SelfPlay) CheckFreshOpponent(experiment.Opponent, game, "shaping.experiment.opponent");
        return experiment;
    }

    /// <summary>Kind <paramref name="kind"/> configured for <paramref name="game"/> from `shaping.learners.&lt;kind&gt;`.</summary>
    public IMemberFactory MemberFactory(string kind, MatrixGame game)
    {
        lock (_factories)
        {
            if (_factories.TryGetValue((kind, game.Name), out var factory)) return factory;
            IMemberKind plugin;
            try { plugin = MemberKinds.Get(kind); }
            catch (ArgumentException e) { throw new ShapingConfigException(e.Message); }
            var path = $"shaping.learners.{kind}";
            try
            {
                factory = plugin.Configure(new MemberSetup(game, new HoconSection(Root.GetConfig(path) ?? Config.Empty, path), name => CreateLearner(name, game)));
            }
            catch (ArgumentException e) { throw new ShapingConfigException(e.Message); }
            return _factories[(kind, game.Name)] = factory;
        }
    }

    private void CheckFreshOpponent(string kind, MatrixGame game, string key)
    {
        if (MemberFactory(kind, game).LearnsAcrossMatches)
            throw new ShapingConfigException($"{key}: '{kind}' learns across matches; fresh opponents are inner learners ({string.Join(", ", LearnerCatalog.Names)})");
    }

    /// <summary>The resolved HOCON of the section at <paramref name="path"/> (empty if there is none), for comparing
    /// the settings of two runs.</summary>
    public string ResolvedText(string path) => Root.HasPath(path) ? Root.GetConfig(path).ToString(includeFallback: true) : "";

    /// <summary>Whether the user's files describe a population run (they set `shaping.population`).</summary>
    public bool DescribesPopulation => !_user.IsEmpty && _user.HasPath("shaping.population");

    /// <summary>The `shaping.population` section, with its game, opponent and member kinds checked.</summary>
    public Algorithms.Population.PopulationSettings Population()
    {
        var population = PopulationReader.Read(Root);
        var game = Game(population.Game);
        CheckFreshOpponent(population.Opponent, game, "shaping.population.opponent");
        foreach (var kind in population.Members.Select(m => m.Kind).Distinct()) MemberFactory(kind, game);
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

    /// <summary>The `shaping.arena` section: how the arena runs.</summary>
    public Arena.ArenaSettings Arena()
    {
        const string path = "shaping.arena";
        var c = Root.GetConfig(path);
        TimeSpan Duration(string key)
        {
            try { return c.GetTimeSpan(key); }
            catch (Exception) { throw new ShapingConfigException($"{path}.{key} must be a duration such as 5s"); }
        }
        try
        {
            return new Arena.ArenaSettings
            {
                SnapshotEvery = HoconReader.Integer(c, path, "snapshot-every"),
                FlushInterval = Duration("flush-interval"),
                FlushLines = HoconReader.Integer(c, path, "flush-lines"),
                SummaryInterval = Duration("summary-interval"),
                PlotsInterval = Duration("plots-interval"),
                RatingsInterval = Duration("ratings-interval"),
                MaxAttempts = HoconReader.Integer(c, path, "max-attempts"),
                StartDeadline = Duration("start-deadline"),
            }.Validated();
        }
        catch (ArgumentException e) { throw new ShapingConfigException(e.Message); }
    }

    /// <summary>Host name this node binds to and advertises.</summary>
    public string NodeHostname => HoconReader.Text(Root.GetConfig("shaping.node"), "hostname").Trim('"');

    /// <summary>shaping.node.tls.certs: the certificate directory for TLS between nodes, or null for plain TCP.</summary>
    public string? NodeCertificates
    {
        get
        {
            var path = HoconReader.Text(Root.GetConfig("shaping.node.tls"), "certs").Trim('"');
            return path.Length == 0 ? null : path;
        }
    }

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
                "start" => settings with { Start = StartDistributions.TryParse(HoconReader.Text(c, key).Trim('"'), out var start) ? start
                    : throw new ShapingConfigException($"{path}.start must be {StartDistributions.Choices}, got '{HoconReader.Text(c, key)}'") },
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
                return training.Train(game, (ulong)HoconReader.Long(t, tp, "seed")).Init;
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
        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ShapingConfigException($"config file '{file}' cannot be read: {e.Message}"); }
        return Parse(file, text);
    }

    private static Config Parse(string file, string text)
    {
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
