namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Ratings between two full Bradley–Terry fits: each recorded match moves its two players by the classic Elo update
/// (K = 16) from the last fit. O(1) per match; the periodic fit (<see cref="EloRatings"/>) replaces them, and the
/// final ratings are always a fit, so they do not depend on the order matches finished in.
/// </summary>
public sealed class OnlineRatings
{
    private const double K = 16;
    private Dictionary<string, double> _ratings = [];

    public IReadOnlyDictionary<string, double> Current => _ratings;

    public void Add(MatchOutcome outcome)
    {
        double row = _ratings.GetValueOrDefault(outcome.Row, EloRatings.Anchor), col = _ratings.GetValueOrDefault(outcome.Col, EloRatings.Anchor);
        double expected = 1 / (1 + Math.Pow(10, (col - row) / 400));
        double delta = K * (RatingTally.RowScore(outcome.RowReward, outcome.ColReward) - expected);
        _ratings[outcome.Row] = row + delta;
        _ratings[outcome.Col] = col - delta;
    }

    /// <summary>Starts again from a full fit.</summary>
    public void Reset(IReadOnlyDictionary<string, double> fit) => _ratings = new Dictionary<string, double>(fit);
}
