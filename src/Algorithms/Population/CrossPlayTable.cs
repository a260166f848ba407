namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Mean reward of each player against each opponent over all recorded matches (either seat), and per member its
/// mean reward against fresh inner learners and against other members. Players are members or fresh kinds.
/// </summary>
public sealed class CrossPlayTable
{
    private readonly Dictionary<(string, string), (double Sum, int Count)> _cells = [];
    private readonly Dictionary<string, (double Sum, int Count)> _vsFresh = [], _vsMembers = [];
    private readonly SortedSet<string> _players = new(StringComparer.Ordinal);

    public CrossPlayTable(IEnumerable<MatchOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            Add(o.Row, o.Col, o.RowReward, o.RowIsMember, o.ColIsMember);
            Add(o.Col, o.Row, o.ColReward, o.ColIsMember, o.RowIsMember);
        }
    }

    public IReadOnlyCollection<string> Players => _players;

    /// <summary>Mean reward of <paramref name="player"/> against <paramref name="opponent"/>, NaN if they never met.</summary>
    public double Mean(string player, string opponent) =>
        _cells.TryGetValue((player, opponent), out var c) ? c.Sum / c.Count : double.NaN;

    public int Count(string player, string opponent) => _cells.TryGetValue((player, opponent), out var c) ? c.Count : 0;

    public double MeanVersusFresh(string member) => _vsFresh.TryGetValue(member, out var c) ? c.Sum / c.Count : double.NaN;

    public double MeanVersusMembers(string member) => _vsMembers.TryGetValue(member, out var c) ? c.Sum / c.Count : double.NaN;

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
