namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Ratings on the Elo scale fitted to all pairwise outcomes at once (Bradley–Terry maximum likelihood, by the MM
/// iteration of Hunter 2004), so they do not depend on the order matches finished in. A match is a win for the side
/// with the higher mean reward (a draw within <see cref="DrawMargin"/>). Every player also gets one virtual draw
/// against a fixed anchor rated 1500, which keeps ratings finite for players that only win or only lose and keeps
/// unconnected groups on one scale.
/// </summary>
public static class EloRatings
{
    public const double DrawMargin = 1e-3;
    public const double Anchor = 1500;

    public static IReadOnlyDictionary<string, double> Fit(IEnumerable<MatchOutcome> outcomes, int iterations = 100_000)
    {
        const string anchor = "\0anchor";
        var wins = new Dictionary<string, double>();
        var games = new Dictionary<(string, string), double>();
        void Score(string a, string b, double scoreA)
        {
            wins[a] = wins.GetValueOrDefault(a) + scoreA;
            wins[b] = wins.GetValueOrDefault(b) + (1 - scoreA);
            var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
            games[key] = games.GetValueOrDefault(key) + 1;
        }
        foreach (var o in outcomes)
        {
            double diff = o.RowReward - o.ColReward;
            Score(o.Row, o.Col, Math.Abs(diff) <= DrawMargin ? 0.5 : diff > 0 ? 1 : 0);
        }
        var players = wins.Keys.ToList();
        foreach (var p in players) Score(p, anchor, 0.5);
        var strength = wins.Keys.ToDictionary(p => p, _ => 1.0);
        var opponents = wins.Keys.ToDictionary(p => p, _ => new List<(string Other, double Games)>());
        foreach (var ((a, b), n) in games)
        {
            opponents[a].Add((b, n));
            opponents[b].Add((a, n));
        }
        for (int it = 0; it < iterations; it++)
        {
            double change = 0;
            foreach (var p in players)
            {
                double denominator = opponents[p].Sum(o => o.Games / (strength[p] + strength[o.Other]));
                double next = wins[p] / denominator;
                change = Math.Max(change, Math.Abs(Math.Log(next / strength[p])));
                strength[p] = next;
            }
            if (change < 1e-13) break;
        }
        return players.ToDictionary(p => p, p => Anchor + 400 * Math.Log10(strength[p] / strength[anchor]));
    }
}
