namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>
/// One round's opponents and every drawing player's win rates against those it has met, indexed once per round so
/// that a player's draw costs O(pool) arithmetic and no string lookups (a 1,024-member league plans a round of 2,048
/// matches in milliseconds). Opponents never met weigh as even ones (win rate ½), and a player never draws itself.
/// </summary>
public sealed class OpponentPool
{
    private readonly IReadOnlyList<string> _candidates;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, List<(int Opponent, double WinRate)>> _met = [];
    private readonly OpponentWeighting _weighting;

    public OpponentPool(IReadOnlyList<string> candidates, RatingTally results, OpponentWeighting weighting)
    {
        _candidates = candidates;
        _weighting = weighting;
        _index = candidates.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        foreach (var (first, second, games, firstScore) in results.Entries())
        {
            if (_index.TryGetValue(second, out int s)) Met(first).Add((s, (firstScore + 0.5) / (games + 1)));
            if (_index.TryGetValue(first, out int f)) Met(second).Add((f, (games - firstScore + 0.5) / (games + 1)));
        }
    }

    private List<(int, double)> Met(string player) =>
        _met.TryGetValue(player, out var list) ? list : _met[player] = [];

    /// <summary><paramref name="count"/> independent draws for <paramref name="player"/>, by weight (uniformly among
    /// the others when every weight is 0: a player that beats everyone still plays). Empty if nobody else is in the pool.</summary>
    public string[] Draws(string player, int count, Random random)
    {
        int n = _candidates.Count;
        var cumulative = new double[n];
        double even = _weighting.Weight(0.5);
        Array.Fill(cumulative, even);
        if (_met.TryGetValue(player, out var met))
            foreach (var (opponent, winRate) in met) cumulative[opponent] = _weighting.Weight(winRate);
        int self = _index.GetValueOrDefault(player, -1);
        if (self >= 0) cumulative[self] = 0;
        if (n - (self >= 0 ? 1 : 0) <= 0) return [];
        double total = 0;
        for (int i = 0; i < n; i++) cumulative[i] = total += cumulative[i];
        var drawn = new string[count];
        for (int k = 0; k < count; k++)
        {
            int at;
            if (!(total > 0))
            {
                at = random.Next(n - (self >= 0 ? 1 : 0));
                if (self >= 0 && at >= self) at++;
            }
            else
            {
                // The first candidate whose cumulative weight exceeds the target.
                at = Array.BinarySearch(cumulative, random.NextDouble() * total);
                at = at >= 0 ? at + 1 : ~at;
                // A target exactly on a boundary may land on a candidate of weight 0 (itself, say): move to the next.
                while (at < n - 1 && cumulative[at] == (at > 0 ? cumulative[at - 1] : 0)) at++;
                at = Math.Min(at, n - 1);
            }
            drawn[k] = _candidates[at];
        }
        return drawn;
    }
}
