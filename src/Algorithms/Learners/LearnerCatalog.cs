using ShapingCluster.Algorithms.Games;

namespace ShapingCluster.Algorithms.Learners;

/// <summary>The inner learners by name. Settings come per name from configuration; unknown names are errors.</summary>
public static class LearnerCatalog
{
    private static readonly Dictionary<string, Func<string, MatrixGame, LearnerSettings, IInnerLearner>> Builders = new()
    {
        ["nl"] = (n, g, s) => new NaiveLearner(n, g, s),
        ["nl-pg"] = (n, g, s) => new PolicyGradientNaiveLearner(n, g, s),
        ["lola"] = (n, g, s) => new LolaLearner(n, g, s),
        ["lola-pg"] = (n, g, s) => new PolicyGradientLolaLearner(n, g, s),
        ["lola-dice"] = (n, g, s) => new DiceLolaLearner(n, g, s),
        ["lola-lookahead"] = (n, g, s) => new ExactLookaheadLearner(n, g, s),
        ["mmaml"] = (n, g, s) => new NaiveLearner(n, g, s),
        ["static"] = (_, g, s) => FixedStrategy.Static(g, s),
        ["tft"] = (_, g, _) => FixedStrategy.TitForTat(g),
        ["allc"] = (_, g, _) => FixedStrategy.AlwaysCooperate(g),
        ["alld"] = (_, g, _) => FixedStrategy.AlwaysDefect(g),
        ["random"] = (_, g, _) => FixedStrategy.Random(g),
    };

    public static IReadOnlyCollection<string> Names => Builders.Keys;

    public static IInnerLearner Create(string name, MatrixGame game, LearnerSettings settings)
    {
        if (!Builders.TryGetValue(name, out var build))
            throw new ArgumentException($"unknown learner '{name}'; known learners: {string.Join(", ", Names)}");
        return build(name, game, settings);
    }
}
