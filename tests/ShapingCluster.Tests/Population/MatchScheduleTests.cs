using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Population;

public class MatchScheduleTests
{
    private static PopulationSettings Settings(Pairing pairing, int members = 8, double lambdaStart = 1, double lambdaStep = 0.0015) => new()
    {
        Members = TestGames.MfosMembers(members),
        Pairing = pairing,
        Rounds = 700,
        Lambda = new LambdaSchedule(lambdaStart, lambdaStep),
    };

    [Fact]
    public void The_schedule_is_a_function_of_seed_and_round()
    {
        var a = new MatchSchedule(Settings(Pairing.SelfPlay));
        var b = new MatchSchedule(Settings(Pairing.SelfPlay));
        for (int round = 1; round <= 700; round += 37) Assert.Equal(a.Round(round), b.Round(round));
        var other = new MatchSchedule(Settings(Pairing.SelfPlay) with { Seed = 2 });
        Assert.NotEqual(a.Round(300).Select(p => p.Row.Name + p.Col.Name), other.Round(300).Select(p => p.Row.Name + p.Col.Name));
    }

    [Fact]
    public void No_member_plays_twice_in_a_round_and_every_member_plays()
    {
        var schedule = new MatchSchedule(Settings(Pairing.SelfPlay, members: 7));
        for (int round = 1; round <= 700; round += 13)
        {
            var plays = schedule.Round(round).SelectMany(p => p.MemberIds()).ToList();
            Assert.Equal(plays.Count, plays.Distinct().Count());
            Assert.Equal(7, plays.Count);
        }
    }

    [Fact]
    public void Match_ids_and_numbers_are_unique_over_the_run()
    {
        var schedule = new MatchSchedule(Settings(Pairing.SelfPlay));
        var plans = Enumerable.Range(1, 700).SelectMany(r => schedule.Round(r)).ToList();
        Assert.Equal(plans.Count, plans.Select(p => p.Id).Distinct().Count());
        Assert.Equal(plans.Count, plans.Select(p => p.Number).Distinct().Count());
        Assert.Equal(plans.Count, schedule.TotalMatches());
    }

    [Fact]
    public void The_fraction_of_matches_against_fresh_learners_follows_lambda()
    {
        // λ = 1 − 0.0015 r: over rounds 101..200 the mean λ is 0.774; each of 8 members draws independently.
        var schedule = new MatchSchedule(Settings(Pairing.SelfPlay));
        int fresh = 0, draws = 0;
        double expected = 0;
        for (int round = 101; round <= 200; round++)
        {
            double lambda = schedule.Lambda(round);
            expected += 8 * lambda;
            draws += 8;
            fresh += schedule.Round(round).Count(p => !p.Row.IsMember);
        }
        // Odd members left unpaired also meet fresh learners, so allow that small excess on top of 4 binomial SE.
        double se = Math.Sqrt(draws * 0.774 * 0.226);
        Assert.InRange(fresh, expected - 4 * se, expected + 4 * se + 100);
        Assert.Equal(8, new MatchSchedule(Settings(Pairing.SelfPlay, lambdaStart: 1, lambdaStep: 0)).Round(5).Count(p => !p.Row.IsMember));
        Assert.All(new MatchSchedule(Settings(Pairing.SelfPlay, lambdaStart: 0)).Round(5), p => Assert.True(p.Row.IsMember && p.Col.IsMember));
    }

    [Fact]
    public void Round_robin_plays_every_pair_and_fixed_plays_fresh_opponents()
    {
        var robin = new MatchSchedule(Settings(Pairing.RoundRobin, members: 5)).Round(1);
        Assert.Equal(10, robin.Count);
        Assert.Equal(10, robin.Select(p => string.Join("|", new[] { p.Row.Name, p.Col.Name }.Order())).Distinct().Count());
        var fixedPairs = new MatchSchedule(Settings(Pairing.Fixed, members: 5) with { Opponent = "lola" }).Round(1);
        Assert.All(fixedPairs, p => Assert.Equal(SeatSpec.Fresh("lola"), p.Row));
        Assert.Equal(5, fixedPairs.Count);
    }
}
