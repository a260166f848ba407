namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// What the Bradley–Terry fit needs from the recorded matches, kept incrementally: for every pair of players that
/// met, the number of matches and the first player's score (1 a win, ½ a draw, 0 a loss; a match is won by the side
/// with the higher mean reward, a draw within <see cref="DrawMargin"/>). Sums of match results, so they do not
/// depend on the order matches finished in, and memory grows with the pairs that met, not with the matches.
/// </summary>
public sealed class RatingTally
{
    public const double DrawMargin = 1e-3;

    private readonly Dictionary<(string First, string Second), (int Games, double FirstScore)> _pairs;

    public RatingTally() => _pairs = [];

    private RatingTally(Dictionary<(string, string), (int, double)> pairs) => _pairs = pairs;

    public int Pairs => _pairs.Count;

    /// <summary>The row side's score of a match: 1, ½ or 0.</summary>
    public static double RowScore(double rowReward, double colReward)
    {
        double diff = rowReward - colReward;
        return Math.Abs(diff) <= DrawMargin ? 0.5 : diff > 0 ? 1 : 0;
    }

    public void Add(MatchOutcome outcome) => Add(outcome.Row, outcome.Col, RowScore(outcome.RowReward, outcome.ColReward));

    public void Add(string row, string col, double rowScore)
    {
        bool ordered = string.CompareOrdinal(row, col) <= 0;
        var key = ordered ? (row, col) : (col, row);
        var (games, score) = _pairs.GetValueOrDefault(key);
        _pairs[key] = (games + 1, score + (ordered ? rowScore : 1 - rowScore));
    }

    /// <summary>Matches between <paramref name="player"/> and <paramref name="opponent"/>, and the player's score.</summary>
    public (int Games, double Score) Between(string player, string opponent)
    {
        bool ordered = string.CompareOrdinal(player, opponent) <= 0;
        if (!_pairs.TryGetValue(ordered ? (player, opponent) : (opponent, player), out var p)) return (0, 0);
        return (p.Games, ordered ? p.FirstScore : p.Games - p.FirstScore);
    }

    /// <summary>Every pair that met: (first, second, matches, first's score), first &lt; second (ordinal).</summary>
    public IEnumerable<(string First, string Second, int Games, double FirstScore)> Entries() =>
        _pairs.Select(p => (p.Key.First, p.Key.Second, p.Value.Games, p.Value.FirstScore));

    /// <summary>Restores one pair's totals (from a snapshot).</summary>
    public void Restore(string first, string second, int games, double firstScore) => _pairs[(first, second)] = (games, firstScore);

    public RatingTally Copy() => new(new Dictionary<(string, string), (int, double)>(_pairs));

    public static RatingTally Of(IEnumerable<MatchOutcome> outcomes)
    {
        var tally = new RatingTally();
        foreach (var o in outcomes) tally.Add(o);
        return tally;
    }
}
