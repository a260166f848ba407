using Newtonsoft.Json.Linq;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// Mean reward per side of a training run over the episode windows the reference figures use (mfos.md §5.2:
/// episodes 1–10, 241–260, 491–510 and the last 50), separately for each opponent kind, so that a self-play run's
/// "last 50" are its last 50 self-play episodes and not a mix with the naive-learner ones.
/// </summary>
public static class EpisodeWindows
{
    /// <summary>One window: the opponent kind, its label, the episodes it averaged, and the mean reward per side.</summary>
    public sealed record Row(string Opponent, string Window, int Episodes, double[] Rewards);

    private static readonly (int From, int To)[] Fixed = [(1, 10), (241, 260), (491, 510)];

    public const int Last = 50;

    public static IReadOnlyList<Row> Of(IReadOnlyList<JObject> episodes)
    {
        var rows = new List<Row>();
        foreach (var kind in episodes.GroupBy(e => (string)e["opponent"]!))
        {
            var ordered = kind.OrderBy(Number).ToList();
            foreach (var (from, to) in Fixed)
            {
                var inside = ordered.Where(e => Number(e) >= from && Number(e) <= to).ToList();
                if (inside.Count > 0) rows.Add(Mean(kind.Key, $"{from}–{to}", inside));
            }
            var last = ordered.TakeLast(Last).ToList();
            rows.Add(Mean(kind.Key, $"last {last.Count} ({Number(last[0])}–{Number(last[^1])})", last));
        }
        return rows;
    }

    private static int Number(JObject episode) => (int)episode["episode"]!;

    private static Row Mean(string opponent, string window, List<JObject> episodes)
    {
        int sides = episodes[0]["rewards"]!.Count();
        var means = Enumerable.Range(0, sides).Select(s => episodes.Average(e => (double)e["rewards"]![s]!)).ToArray();
        return new Row(opponent, window, episodes.Count, means);
    }
}
