namespace ShapingCluster.Algorithms.Population;

/// <summary>
/// Ratings on the Elo scale fitted to all pairwise outcomes at once (Bradley–Terry maximum likelihood, by the MM
/// iteration of Hunter 2004, Gauss–Seidel order), from a <see cref="RatingTally"/>, so they do not depend on the
/// order matches finished in. Every player also gets one virtual draw against a fixed anchor rated 1500, which keeps
/// ratings finite for players that only win or only lose and keeps unconnected groups on one scale.
/// </summary>
public static class EloRatings
{
    public const double DrawMargin = RatingTally.DrawMargin;
    public const double Anchor = 1500;

    public static IReadOnlyDictionary<string, double> Fit(IEnumerable<MatchOutcome> outcomes, int iterations = 100_000) =>
        Fit(RatingTally.Of(outcomes), iterations);

    public static IReadOnlyDictionary<string, double> Fit(RatingTally tally, int iterations = 100_000)
    {
        var index = new Dictionary<string, int>();
        int Index(string p)
        {
            if (!index.TryGetValue(p, out int i)) index[p] = i = index.Count;
            return i;
        }
        var entries = tally.Entries().Select(e => (A: Index(e.First), B: Index(e.Second), e.Games, e.FirstScore)).ToList();
        int n = index.Count, anchor = n;
        if (n == 0) return new Dictionary<string, double>();
        // Scores and the neighbour lists (compressed rows); the anchor is player n, one draw with everyone.
        var wins = new double[n + 1];
        var degree = new int[n + 1];
        foreach (var (a, b, played, score) in entries)
        {
            wins[a] += score;
            wins[b] += played - score;
            degree[a]++;
            degree[b]++;
        }
        for (int p = 0; p < n; p++) { wins[p] += 0.5; wins[anchor] += 0.5; degree[p]++; degree[anchor]++; }
        var start = new int[n + 2];
        for (int p = 0; p <= n; p++) start[p + 1] = start[p] + degree[p];
        var neighbour = new int[start[n + 1]];
        var games = new double[start[n + 1]];
        var fill = (int[])start.Clone();
        void Link(int a, int b, double g)
        {
            neighbour[fill[a]] = b; games[fill[a]++] = g;
            neighbour[fill[b]] = a; games[fill[b]++] = g;
        }
        foreach (var (a, b, g, _) in entries) Link(a, b, g);
        for (int p = 0; p < n; p++) Link(p, anchor, 1);

        var strength = Enumerable.Repeat(1.0, n + 1).ToArray();
        for (int it = 0; it < iterations; it++)
        {
            double change = 0;
            for (int p = 0; p <= n; p++)
            {
                double denominator = 0;
                for (int k = start[p]; k < start[p + 1]; k++) denominator += games[k] / (strength[p] + strength[neighbour[k]]);
                double next = wins[p] / denominator;
                change = Math.Max(change, Math.Abs(Math.Log(next / strength[p])));
                strength[p] = next;
            }
            if (change < 1e-13) break;
        }
        return index.ToDictionary(p => p.Key, p => Anchor + 400 * Math.Log10(strength[p.Value] / strength[anchor]));
    }
}
