using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// A member named wherever a learner name is accepted: a learner kind ("nl", "lola", "mfos" untrained, ...) as the
/// configuration defines it, or a trained member, named by its training run directory: "DIR" is the run's first
/// member, "DIR/&lt;member&gt;" any other (results/selfplay-ipd/mfos-1). A trained member is rebuilt with the
/// settings its run was trained with (DIR/config/) and loaded from the run's newest intact checkpoint.
/// </summary>
public sealed class NamedMember : IDisposable
{
    private NamedMember(string name, IMemberState state, bool trained)
    {
        Name = name;
        State = state;
        Trained = trained;
    }

    /// <summary>The name results use: the kind, or the run directory's name (with the member for DIR/member).</summary>
    public string Name { get; }

    public IMemberState State { get; }

    public bool Trained { get; }

    public static NamedMember Open(ShapingConfig config, string name, MatrixGame game, ulong seed)
    {
        if (MemberKinds.IsKnown(name)) return new NamedMember(name, config.MemberFactory(name, game).Create(seed), trained: false);
        var (directory, member) = Locate(name)
            ?? throw new ArgumentException($"unknown learner '{name}'; known learners: {string.Join(", ", MemberKinds.Names)}, or a training run directory (DIR or DIR/<member>)");
        var run = RunFile.Read(directory);
        if (RunFile.KindOf(run) != "training")
            throw new ArgumentException($"{directory} holds a {RunFile.KindOf(run)} run; name a training run directory");
        var experiment = run["experiment"]!;
        string kind = (string?)experiment["Kind"] ?? "mfos", trainedGame = (string)experiment["Game"]!;
        int members = (bool?)experiment["SelfPlay"] == true ? 2 : 1;
        int index = member is null ? 0 : MemberIndex(member, kind, members, directory);
        var runConfig = ShapingConfig.Load(RunFile.ConfigFiles(directory));
        var runGame = runConfig.Game(trainedGame);
        if (runGame.Name != game.Name || !runGame.RowPayoff.SequenceEqual(game.RowPayoff) || !runGame.ColPayoff.SequenceEqual(game.ColPayoff)
            || runGame.Iterated != game.Iterated || runGame.Discount != game.Discount)
            throw new ArgumentException($"{directory} trained its members on '{trainedGame}', not on '{game.Name}'");
        var state = runConfig.MemberFactory(kind, runGame).Create(seed);
        try
        {
            var found = new RunDirectory(directory).NewestCheckpoint(c =>
            {
                if (c.Kind != kind || c.States.Count != members) throw new InvalidDataException($"it holds {c.States.Count} '{c.Kind}' members");
                state.Load(c.States[index]);
            }, skipped => Console.Error.WriteLine($"shaping: {skipped}"));
            if (found is null) throw new ArgumentException($"{directory} holds no intact checkpoint to load a member from");
            var label = Path.GetFileName(directory.TrimEnd('/'));
            return new NamedMember(member is null ? label : $"{label}/{member}", state, trained: true);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>DIR, or DIR/member where DIR holds run.json.</summary>
    private static (string Directory, string? Member)? Locate(string name)
    {
        var path = Path.GetFullPath(name);
        if (RunFile.Exists(path)) return (path, null);
        var parent = Path.GetDirectoryName(path);
        return parent is not null && RunFile.Exists(parent) ? (parent, Path.GetFileName(path)) : null;
    }

    private static int MemberIndex(string member, string kind, int members, string directory)
    {
        for (int i = 0; i < members; i++)
            if (member == $"{kind}-{i}") return i;
        throw new ArgumentException($"{directory} trained {string.Join(", ", Enumerable.Range(0, members).Select(i => $"{kind}-{i}"))}, not '{member}'");
    }

    public void Dispose() => State.Dispose();
}
