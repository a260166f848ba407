using ShapingCluster.Algorithms.Population;
using ShapingCluster.Algorithms.Population.Pairings;

namespace ShapingCluster.Tests.Population;

public class PfspTests
{
    /// <summary>A tally where "a" has the given score out of 9 matches against each opponent (win rate (s + ½)/10).</summary>
    private static RatingTally Tally(params (string Opponent, int Wins)[] record)
    {
        var tally = new RatingTally();
        foreach (var (opponent, wins) in record)
            for (int i = 0; i < 9; i++) tally.Add("a", opponent, i < wins ? 1 : 0);
        return tally;
    }

    [Theory]
    [InlineData(WeightingShape.Hard, 2.0)]
    [InlineData(WeightingShape.Variance, 0.0)]
    [InlineData(WeightingShape.Uniform, 0.0)]
    public void Pfsp_draws_follow_their_weights(WeightingShape shape, double exponent)
    {
        var weighting = new OpponentWeighting(shape, exponent);
        var tally = Tally(("b", 1), ("c", 4), ("d", 8), ("e", 0));
        string[] pool = ["b", "c", "d", "e", "f"]; // f never met: win rate ½
        var weights = pool.Select(o => weighting.Weight(OpponentWeighting.WinRate(tally, "a", o))).ToArray();
        double total = weights.Sum();
        var random = new Random(5);
        const int draws = 20_000;
        var counts = pool.ToDictionary(p => p, _ => 0);
        for (int i = 0; i < draws; i++) counts[weighting.Draw("a", pool, tally, random)]++;
        for (int k = 0; k < pool.Length; k++)
        {
            double p = weights[k] / total, expected = draws * p, sd = Math.Sqrt(draws * p * (1 - p));
            Assert.True(Math.Abs(counts[pool[k]] - expected) <= 4 * sd + 1e-9,
                $"{shape}: {pool[k]} drawn {counts[pool[k]]} times, expected {expected:F0} ± {sd:F0} (weight {weights[k]:F3})");
        }
        if (shape == WeightingShape.Hard) Assert.True(counts["e"] > counts["d"] * 5, "the opponent it always loses to is drawn most");
    }

    [Fact]
    public void A_pfsp_round_gives_every_member_its_matches_and_depends_on_the_results_so_far()
    {
        var settings = new PopulationSettings
        {
            Members = Enumerable.Range(0, 6).Select(i => new MemberSpec($"nl-{i}", "nl", false)).ToList(),
            Pairing = Pairing.Pfsp, MatchesPerRound = 10, Rounds = 100,
        };
        var schedule = new MatchSchedule(settings);
        var fresh = schedule.Round(2);
        Assert.Equal(60, fresh.Count);
        Assert.Equal(60, schedule.RoundSize(2));
        foreach (var member in settings.Members) Assert.True(fresh.Count(p => p.MemberIds().Contains(member.Id)) >= 10);
        Assert.Equal(fresh, schedule.Round(2)); // a function of the inputs
        // nl-0 lost every match to nl-5: with hard weighting it now meets nl-5 far more often.
        var results = new RatingTally();
        for (int i = 0; i < 40; i++) results.Add("nl-0", "nl-5", 0);
        int Meetings(IReadOnlyList<MatchPlan> plans) => plans.Count(p => p.MemberIds().Contains("nl-0") && p.MemberIds().Contains("nl-5"));
        int before = 0, after = 0;
        for (int r = 1; r <= 100; r++)
        {
            before += Meetings(schedule.Round(r));
            after += Meetings(schedule.Round(r, new RoundInputs(settings, settings.Members, results, [])));
        }
        Assert.True(after > before, $"nl-0 met nl-5 {before} times before, {after} times after losing to it");
    }
}
