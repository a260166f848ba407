using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Population;

public class ScoreboardMathTests
{
    private static MatchOutcome Outcome(string row, string col, double rowReward, double colReward, int round = 1) =>
        new($"{row}-{col}-{Guid.NewGuid():N}", round, row, col, row != "nl", col != "nl", rowReward, colReward, "n", 1);

    [Fact]
    public void Cross_play_averages_each_players_reward_against_each_opponent_from_either_seat()
    {
        var table = new CrossPlayTable([Outcome("a", "b", 1, -1), Outcome("b", "a", 0, 2), Outcome("a", "nl", -0.5, -2)]);
        Assert.Equal(1.5, table.Mean("a", "b"), 12);
        Assert.Equal(-0.5, table.Mean("b", "a"), 12);
        Assert.Equal(2, table.Count("a", "b"));
        Assert.Equal(-0.5, table.MeanVersusFresh("a"), 12);
        Assert.Equal(1.5, table.MeanVersusMembers("a"), 12);
        Assert.True(double.IsNaN(table.Mean("b", "nl")));
    }

    [Fact]
    public void Ratings_order_players_by_strength_and_do_not_depend_on_match_order()
    {
        var outcomes = new List<MatchOutcome>();
        for (int i = 0; i < 10; i++)
        {
            outcomes.Add(Outcome("strong", "middle", 1, 0));
            outcomes.Add(Outcome("middle", "weak", 1, 0));
            outcomes.Add(i < 7 ? Outcome("strong", "weak", 1, 0) : Outcome("weak", "strong", 1, 0));
        }
        var ratings = EloRatings.Fit(outcomes);
        Assert.True(ratings["strong"] > ratings["middle"] && ratings["middle"] > ratings["weak"]);
        var shuffled = EloRatings.Fit(outcomes.OrderBy(o => o.Match));
        foreach (var p in ratings.Keys) Assert.Equal(ratings[p], shuffled[p], 6);
    }

    [Fact]
    public void Two_players_that_always_draw_keep_the_anchor_rating()
    {
        var ratings = EloRatings.Fit([Outcome("a", "b", -1, -1), Outcome("b", "a", -1, -1)]);
        Assert.Equal(EloRatings.Anchor, ratings["a"], 6);
        Assert.Equal(EloRatings.Anchor, ratings["b"], 6);
    }

    [Fact]
    public void A_player_that_wins_every_match_gets_a_finite_rating()
    {
        // With a win rate p against the 1500 anchor-equivalent opponent, Bradley–Terry gives 400·log10(p/(1−p)).
        var ratings = EloRatings.Fit(Enumerable.Range(0, 20).Select(_ => Outcome("a", "b", 1, 0)));
        Assert.True(double.IsFinite(ratings["a"]) && ratings["a"] > 1700, $"{ratings["a"]}");
        Assert.Equal(2 * EloRatings.Anchor, ratings["a"] + ratings["b"], 6);
    }
}
