using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Population;

/// <summary>The arena's ratings are kept online between full fits; whatever the order matches finish in and wherever
/// the periodic fits fall, the fit at the end equals one full fit of every match.</summary>
public class RatingProperties
{
    private static readonly string[] Players = ["a", "b", "c", "d", "e", "nl"];

    private static MatchOutcome Outcome(int i, int row, int col, double rowReward, double colReward) =>
        new($"m{i}", 1, Players[row], Players[col], true, true, rowReward, colReward, "n", 0);

    [Property(MaxTest = 60)]
    public Property Online_and_periodic_ratings_end_at_the_full_refit_whatever_the_order(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        int count = random.Next(5, 120);
        var outcomes = Enumerable.Range(0, count).Select(i =>
        {
            int row = random.Next(Players.Length), col = (row + 1 + random.Next(Players.Length - 1)) % Players.Length;
            // Rewards on a grid so that draws (within the margin) occur too.
            return Outcome(i, row, col, random.Next(-3, 1) * 0.5, random.Next(-3, 1) * 0.5);
        }).ToList();
        var expected = EloRatings.Fit(outcomes);

        var order = outcomes.OrderBy(_ => random.Next()).ToList();
        var tally = new RatingTally();
        var online = new OnlineRatings();
        foreach (var o in order)
        {
            tally.Add(o);
            online.Add(o);
            if (random.NextDouble() < 0.1) online.Reset(EloRatings.Fit(tally.Copy())); // a periodic fit, off the arena's thread in the product
        }
        var final = EloRatings.Fit(tally);
        online.Reset(final);
        return (expected.Count == final.Count && expected.All(e => Math.Abs(e.Value - final[e.Key]) < 1e-6)
                && online.Current.All(r => Math.Abs(r.Value - expected[r.Key]) < 1e-6))
            .Label($"{count} matches: {string.Join(", ", expected.Select(e => $"{e.Key} {e.Value:F3}/{final.GetValueOrDefault(e.Key):F3}"))}");
    }

    [Fact]
    public void A_fit_of_the_incremental_tally_equals_a_fit_of_the_outcomes()
    {
        var outcomes = Enumerable.Range(0, 50).Select(i => Outcome(i, i % 3, 3 + i % 2, i % 4 == 0 ? -1 : -2, -1.5)).ToList();
        var direct = EloRatings.Fit(outcomes);
        var tally = new RatingTally();
        foreach (var o in Enumerable.Reverse(outcomes)) tally.Add(o);
        var viaTally = EloRatings.Fit(tally);
        foreach (var (player, rating) in direct) Assert.Equal(rating, viaTally[player], 9);
        Assert.Equal(6, tally.Pairs);
    }
}
