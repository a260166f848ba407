using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Meva;
using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Tests.Meva;

/// <summary>
/// The MeVa step is x + α(∇f + γ∇Û): with Û ≡ 0, or with γ = 0 whatever Û is, it is NL's step x + lr∇f with α in
/// NL's units, so a seeded match must be the naive learner's to the last bit (same seeds, same draws).
/// </summary>
public class MevaReducesToNaiveLearningTests
{
    private const int Batch = 64, Steps = 30;

    /// <summary>A match of <paramref name="meva"/> at <paramref name="seat"/> against NL, and the same match with a
    /// naive learner in MeVa's place.</summary>
    private static (MatchResult Meva, MatchResult Naive) Both(MevaAgent meva, string game, Seat seat)
    {
        var g = TestGames.Get(game);
        var nl = TestGames.Defaults.CreateLearner("nl", g);
        ulong mevaSeed = Seeds.Derive(5, 1, (int)seat), nlSeed = Seeds.Derive(5, 1, 1 - (int)seat);
        MatchResult Play(IMatchPlayer subject)
        {
            using var opponent = new InnerLearnerPlayer(nl, seat.Other(), Batch, g.PolicySize, nlSeed);
            using (subject)
                return seat == Seat.Row
                    ? Match.Play(new MatchReferee(g, Batch, Steps), subject, opponent)
                    : Match.Play(new MatchReferee(g, Batch, Steps), opponent, subject);
        }
        var withMeva = Play(meva.NewPlayer(new PlayerRequest("meva", seat, Batch, mevaSeed, Learning: false)));
        var withNaive = Play(new InnerLearnerPlayer(nl, seat, Batch, g.PolicySize, mevaSeed));
        return (withMeva, withNaive);
    }

    private static void AssertSameMatch(MatchResult expected, MatchResult actual)
    {
        Assert.Equal(expected.Row.Curve, actual.Row.Curve);
        Assert.Equal(expected.Col.Curve, actual.Col.Curve);
        Assert.Equal(expected.FinalRowPolicy, actual.FinalRowPolicy);
        Assert.Equal(expected.FinalColPolicy, actual.FinalColPolicy);
    }

    [Theory]
    [InlineData("ipd", Seat.Row)]
    [InlineData("imp", Seat.Col)]
    [InlineData("chicken", Seat.Row)]
    public void A_member_whose_meta_value_is_zero_plays_a_seeded_match_exactly_as_a_naive_learner(string game, Seat seat)
    {
        using var meva = MevaTestMembers.Create(game);
        MevaTestMembers.ZeroOutput(meva.Online.Network);
        var (withMeva, withNaive) = Both(meva, game, seat);
        AssertSameMatch(withNaive, withMeva);
    }

    [Theory]
    [InlineData("ipd", Seat.Col)]
    [InlineData("imp", Seat.Row)]
    public void With_meta_discount_zero_a_member_plays_exactly_as_a_naive_learner_whatever_its_meta_value(string game, Seat seat)
    {
        using var meva = MevaTestMembers.Create(game, "discount = 0");
        var (withMeva, withNaive) = Both(meva, game, seat);
        AssertSameMatch(withNaive, withMeva);
    }

    [Fact]
    public void With_a_nonzero_meta_value_and_discount_the_member_plays_differently_from_a_naive_learner()
    {
        // The two tests above would pass for a member that ignored Û altogether; this one would not.
        using var meva = MevaTestMembers.Create("ipd");
        var (withMeva, withNaive) = Both(meva, "ipd", Seat.Row);
        Assert.NotEqual(withNaive.FinalRowPolicy, withMeva.FinalRowPolicy);
        Assert.NotEqual(withNaive.Row.Curve, withMeva.Row.Curve);
    }
}
