namespace ShapingCluster.Algorithms.Population.Pairings;

/// <summary>
/// Prioritised fictitious self-play's opponent weights (AlphaStar's league, Vinyals et al. 2019): an opponent is
/// drawn with probability proportional to f(the drawing player's win rate against it). <c>hard</c> is
/// f(x) = (1 − x)^p, which favours the opponents the player loses to; <c>variance</c> is f(x) = x(1 − x), which
/// favours even matches; <c>uniform</c> is f = 1. A win rate is the player's score against that opponent over
/// their matches with one pseudo-match scored ½, so an opponent never met counts as an even one.
/// </summary>
public sealed record OpponentWeighting(WeightingShape Shape = WeightingShape.Hard, double Exponent = 2)
{
    public double Weight(double winRate) => Shape switch
    {
        WeightingShape.Hard => Math.Pow(1 - winRate, Exponent),
        WeightingShape.Variance => winRate * (1 - winRate),
        _ => 1,
    };

    public static double WinRate(RatingTally results, string player, string opponent)
    {
        var (games, score) = results.Between(player, opponent);
        return (score + 0.5) / (games + 1);
    }

    /// <summary>An opponent for <paramref name="player"/> from <paramref name="pool"/>, drawn by weight
    /// (<see cref="OpponentPool"/> does the drawing; a pairing builds one pool per round).</summary>
    public string Draw(string player, IReadOnlyList<string> pool, RatingTally results, Random random) =>
        new OpponentPool(pool, results, this).Draws(player, 1, random)[0];
}

public enum WeightingShape { Hard, Variance, Uniform }
