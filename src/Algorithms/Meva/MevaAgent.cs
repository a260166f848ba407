using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// A MeVa member's state: Û's online and target networks, the Adam state of the TD regression and the replay memory
/// of joint states. It plays by following ∇̄(f + γÛ) (<see cref="MevaPlayer"/>) and learns from a finished match by
/// keeping a random part of the joint states the match visited and taking `td.updates` TD steps on minibatches of
/// its memory (<see cref="TemporalDifference"/>). Every draw of a learning step comes from the player's seed, so a
/// resumed run learns exactly as an uninterrupted one.
/// </summary>
public sealed class MevaAgent : IMemberState
{
    /// <summary>Stream of a learning step's draws (the player's own draws use its seed directly).</summary>
    private const long LearnStream = 77;

    private readonly TorchSharp.Modules.Adam _optimizer;
    private readonly TemporalDifference _td;

    public MevaAgent(MatrixGame game, MevaSettings settings, Generator initialisation)
    {
        Game = game.Validated();
        Settings = settings.Validated();
        Kernel = new ExactValueKernel(game);
        bool seatInput = !MetaValue.Symmetric(game);
        var online = new MetaValueNetwork(game.PolicySize, settings.Hidden, settings.Layers, seatInput, settings.VariableDiscount, initialisation);
        var target = new MetaValueNetwork(game.PolicySize, settings.Hidden, settings.Layers, seatInput, settings.VariableDiscount, initialisation);
        target.CopyFrom(online);
        Online = new MetaValue(online, game);
        Target = new MetaValue(target, game);
        _optimizer = optim.Adam(online.parameters(), settings.TdLearningRate);
        _td = new TemporalDifference(game, settings);
        Replay = new ReplayMemory(settings.ReplayCapacity, game.PolicySize);
    }

    public MatrixGame Game { get; }
    public MevaSettings Settings { get; }
    public ExactValueKernel Kernel { get; }

    /// <summary>Û as the member plays with it.</summary>
    public MetaValue Online { get; }

    /// <summary>Û⁻, the slowly following copy that TD targets are computed with.</summary>
    public MetaValue Target { get; }

    public ReplayMemory Replay { get; }

    public TemporalDifference TemporalDifference => _td;

    public IMatchPlayer NewPlayer(PlayerRequest request) =>
        new MevaPlayer(request.Name, this, request.Seat, request.Batch, request.Seed, request.Learning);

    public LearnReport Learn(IMatchPlayer finished)
    {
        if (finished is not MevaPlayer player || player.Agent != this)
            throw new ArgumentException($"a MeVa member learns only from its own players, got {finished.GetType().Name}");
        if (!player.Learning) throw new ArgumentException("this MeVa player played to be evaluated and recorded nothing to learn from");
        using var generator = new Generator(Seeds.Derive((long)player.Seed, 0, LearnStream));
        Remember(player, generator);
        double sum = 0, first = double.NaN;
        int updates = Replay.Count == 0 ? 0 : Settings.TdUpdates;
        for (int u = 0; u < updates; u++)
        {
            var (rows, cols, discounts) = Minibatch(generator);
            double loss = _td.Step(Online, Target, _optimizer, rows, cols, Settings.Minibatch, discounts);
            if (u == 0) first = loss;
            sum += loss;
        }
        if (!ParametersFinite()) throw new ArithmeticException("parameters became NaN or infinite");
        return new LearnReport(new Dictionary<string, double>
        {
            ["td-loss"] = updates > 0 ? sum / updates : double.NaN,
            ["td-loss-first"] = first,
            ["correction-share"] = player.CorrectionShare,
        });
    }

    /// <summary>A minibatch of remembered joint states and the γ of each TD sample: drawn from the variable-discount
    /// range (Û learns every γ of it, short horizons bootstrapping long ones), or the member's own γ.</summary>
    public (float[] Rows, float[] Cols, float[] Discounts) Minibatch(Generator generator)
    {
        int n = Settings.Minibatch;
        long[] indices;
        float[] discounts;
        using (var scope = NewDisposeScope())
        {
            indices = randint(Replay.Count, [n], generator: generator).data<long>().ToArray();
            discounts = Settings.VariableDiscount
                ? Learners.PolicyTensors.ToArray(rand(n, 1, generator: generator) * (Settings.DiscountMax - Settings.DiscountMin) + Settings.DiscountMin)
                : Enumerable.Repeat((float)Settings.Discount, n).ToArray();
        }
        var (rows, cols) = Replay.Gather(indices);
        return (rows, cols, discounts);
    }

    /// <summary>Keeps up to `replay.per-match` of the joint states the player visited, drawn without replacement.</summary>
    private void Remember(MevaPlayer player, Generator generator)
    {
        int batch = player.Visited.Count == 0 ? 0 : player.Visited[0].Rows.Length / Game.PolicySize;
        long visited = (long)player.Visited.Count * batch;
        if (visited == 0) return;
        int keep = (int)Math.Min(Settings.ReplayPerMatch, visited);
        long[] chosen;
        using (var scope = NewDisposeScope())
            chosen = randperm(visited, generator: generator).narrow(0, 0, keep).data<long>().ToArray();
        int d = Game.PolicySize;
        foreach (var index in chosen)
        {
            var (rows, cols) = player.Visited[(int)(index / batch)];
            int game = (int)(index % batch);
            Replay.Add(rows.AsSpan(game * d, d), cols.AsSpan(game * d, d));
        }
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Online.Network.save(writer);
            Target.Network.save(writer);
            _optimizer.save_state_dict(writer);
            Replay.Save(writer);
        }
        return stream.ToArray();
    }

    public void Load(byte[] state)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            Online.Network.load(reader);
            Target.Network.load(reader);
            _optimizer.load_state_dict(reader);
            Replay.Load(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("trailing bytes");
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"not a MeVa state of this shape ({e.Message})");
        }
    }

    /// <summary>Whether every parameter of both networks is a finite number.</summary>
    public bool ParametersFinite()
    {
        using var scope = NewDisposeScope();
        return Online.Network.parameters().Concat(Target.Network.parameters()).All(p => p.isfinite().all().item<bool>());
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Online.Network.Dispose();
        Target.Network.Dispose();
    }
}
