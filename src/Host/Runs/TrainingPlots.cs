using Newtonsoft.Json.Linq;
using ScottPlot;

namespace ShapingCluster.Host.Runs;

/// <summary>The PNG plots of a training run, drawn from its episodes.jsonl.</summary>
public static class TrainingPlots
{
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<JObject> episodes, string title)
    {
        if (episodes.Count == 0) return [];
        var written = new List<string>();
        double[] x = episodes.Select(e => (double)(int)e["episode"]!).ToArray();
        var sides = episodes[0]["sides"]!.Select(s => (string)s!).ToArray();

        var rewards = new Plot();
        for (int side = 0; side < sides.Length; side++)
        {
            var line = rewards.Add.ScatterLine(x, episodes.Select(e => (double)e["rewards"]![side]!).ToArray());
            line.LegendText = sides[side];
        }
        Finish(rewards, $"{title}: mean reward per step", "reward");
        written.Add(Save(rewards, directory, "rewards.png"));

        if (episodes.Any(e => e["lambda"]!.Type != JTokenType.Null))
        {
            var lambda = new Plot();
            lambda.Add.ScatterLine(x, episodes.Select(e => e["lambda"]!.Type == JTokenType.Null ? double.NaN : (double)e["lambda"]!).ToArray());
            Finish(lambda, $"{title}: λ (probability of playing naive learners)", "λ");
            written.Add(Save(lambda, directory, "lambda.png"));
        }

        var policy = new Plot();
        foreach (var state in ((JObject)episodes[0]["cooperation"]!).Properties().Select(p => p.Name))
        {
            var line = policy.Add.ScatterLine(x, episodes.Select(e => (double)e["cooperation"]![state]!).ToArray());
            line.LegendText = state;
        }
        Finish(policy, $"{title}: {sides[0]}'s inner policy P(cooperate) per state", "P(C)");
        written.Add(Save(policy, directory, "policy.png"));

        // What member 0's learning reported (M-FOS: its PPO loss; MeVa: TD loss, correction share...), one plot per metric.
        static JObject? FirstReport(JObject e) => e["learning"] is JArray { Count: > 0 } reports ? reports[0] as JObject : null;
        foreach (var metric in episodes.Select(FirstReport).OfType<JObject>().SelectMany(r => r.Properties().Select(p => p.Name)).Distinct())
        {
            var plot = new Plot();
            plot.Add.ScatterLine(x, episodes.Select(e => FirstReport(e)?[metric] is JValue { Type: JTokenType.Float or JTokenType.Integer } v ? (double)v : double.NaN).ToArray());
            Finish(plot, $"{title}: {metric} of {sides[0]}'s learning", metric);
            written.Add(Save(plot, directory, $"learning-{metric}.png"));
        }
        return written;
    }

    private static void Finish(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("episode");
        plot.YLabel(yLabel);
        plot.ShowLegend();
    }

    private static string Save(Plot plot, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        plot.SavePng(path, 900, 500);
        return path;
    }
}
