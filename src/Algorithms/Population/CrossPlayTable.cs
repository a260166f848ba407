namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Mean reward of each player against each opponent over all recorded matches (either seat), and per member its
/// mean reward against fresh inner learners and against other members, kept incrementally: O(1) per match, memory
/// proportional to the pairs that met. Players are members, frozen versions or fresh kinds.
/// </summary>
public sealed class CrossPlayTable
{
    private readonly Dictionary<(string, string), (double Sum, int Count)> _cells = [];
    private readonly Dictionary<string, (double Sum, int Count)> _vsFresh = [], _vsMembers = [];
    private readonly HashSet<string> _players = new(StringComparer.Ordinal);

    public CrossPlayTable() { }

    public CrossPlayTable(IEnumerable<MatchOutcome> outcomes)
    {
        foreach (var o in outcomes) Add(o);
    }

    public IReadOnlyCollection<string> Players => _players;

    public int Cells => _cells.Count;

    public void Add(MatchOutcome o)
    {
        Add(o.Row, o.Col, o.RowReward, o.RowIsMember, o.ColIsMember);
        Add(o.Col, o.Row, o.ColReward, o.ColIsMember, o.RowIsMember);
    }

    /// <summary>Mean reward of <paramref name="player"/> against <paramref name="opponent"/>, NaN if they never met.</summary>
    public double Mean(string player, string opponent) =>
        _cells.TryGetValue((player, opponent), out var c) ? c.Sum / c.Count : double.NaN;

    public int Count(string player, string opponent) => _cells.TryGetValue((player, opponent), out var c) ? c.Count : 0;

    public double MeanVersusFresh(string member) => _vsFresh.TryGetValue(member, out var c) ? c.Sum / c.Count : double.NaN;

    public double MeanVersusMembers(string member) => _vsMembers.TryGetValue(member, out var c) ? c.Sum / c.Count : double.NaN;

    /// <summary>Every cell: (player, opponent, reward sum, matches).</summary>
    public IEnumerable<(string Player, string Opponent, double Sum, int Count)> Entries() =>
        _cells.Select(c => (c.Key.Item1, c.Key.Item2, c.Value.Sum, c.Value.Count));

    /// <summary>Per member (sum, count) against fresh learners and against members.</summary>
    public IEnumerable<(string Member, bool VersusMembers, double Sum, int Count)> Sides() =>
        _vsFresh.Select(s => (s.Key, false, s.Value.Sum, s.Value.Count)).Concat(_vsMembers.Select(s => (s.Key, true, s.Value.Sum, s.Value.Count)));

    /// <summary>Restores a cell or side total (from a snapshot).</summary>
    public void Restore(string player, string opponent, double sum, int count)
    {
        _players.Add(player);
        _players.Add(opponent);
        _cells[(player, opponent)] = (sum, count);
    }

    public void RestoreSide(string member, bool versusMembers, double sum, int count) =>
        (versusMembers ? _vsMembers : _vsFresh)[member] = (sum, count);

    private void Add(string player, string opponent, double reward, bool playerIsMember, bool opponentIsMember)
    {
        _players.Add(player);
        _players.Add(opponent);
        _cells[(player, opponent)] = Plus(_cells.GetValueOrDefault((player, opponent)), reward);
        if (!playerIsMember) return;
        var side = opponentIsMember ? _vsMembers : _vsFresh;
        side[player] = Plus(side.GetValueOrDefault(player), reward);
    }

    private static (double, int) Plus((double Sum, int Count) cell, double reward) => (cell.Sum + reward, cell.Count + 1);
}
