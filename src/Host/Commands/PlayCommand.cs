using System.CommandLine;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Host.Play;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>`shaping play`: one match between two inner learners, no actor system.</summary>
public static class PlayCommand
{
    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "game name (see hocon/games.conf)", Required = true };
        var row = new Option<string>("--row") { Description = "row learner", DefaultValueFactory = _ => "nl" };
        var col = new Option<string>("--col") { Description = "column learner", DefaultValueFactory = _ => "nl" };
        var batch = new Option<int>("--batch") { Description = "games played in parallel", DefaultValueFactory = _ => 8192 };
        var steps = new Option<int>("--steps") { Description = "learning steps of both sides", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var init = new Option<string>("--init")
        {
            Description = "start of learners without their own: normal = N(0, 1) logits per game, zeros = logit 0 everywhere " +
                          "(uniform play), uniform = U(-1, 1) logits per game (the official LOLA-DiCE runs' start)",
            DefaultValueFactory = _ => "normal",
        };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var plot = new Option<string?>("--plot") { Description = "also draw both sides' reward curves into this PNG file" };
        var config = ConfigOption.Create();
        var command = new Command("play", "a match between two inner learners: both learn for --steps steps on --batch games")
        {
            game, row, col, batch, steps, seed, init, json, plot, config,
        };
        command.SetAction(parsed => CommandErrors.Guard(() => Run(
            parsed.GetValue(game)!, parsed.GetValue(row)!, parsed.GetValue(col)!, parsed.GetValue(batch),
            parsed.GetValue(steps), parsed.GetValue(seed), parsed.GetValue(init)!, parsed.GetValue(json), parsed.GetValue(plot),
            parsed.GetValue(config)!)));
        return command;
    }

    private static int Run(string gameName, string rowName, string colName, int batch, int steps, long seed, string init,
        bool json, string? plotFile, string[] configFiles)
    {
        if (batch < 1) throw new ArgumentException($"--batch must be ≥ 1, got {batch}");
        if (steps < 1) throw new ArgumentException($"--steps must be ≥ 1, got {steps}");
        var start = init switch
        {
            "normal" => StartDistribution.Normal,
            "zeros" => StartDistribution.Zeros,
            "uniform" => StartDistribution.Uniform,
            _ => throw new ArgumentException($"--init must be normal, zeros or uniform, got '{init}'"),
        };
        if (plotFile is not null) CheckPlotFile(plotFile);
        var config = ShapingConfig.Load(configFiles);
        config.ApplyTorchSettings();
        var game = config.Game(gameName);
        var rowLearner = CreateLearner(config, rowName, game, start);
        var colLearner = CreateLearner(config, colName, game, start);
        using var row = new RewardRecorder(new InnerLearnerPlayer(rowLearner, Seat.Row, batch, game.PolicySize, Seeds.Derive(seed, 0, 0)));
        using var col = new RewardRecorder(new InnerLearnerPlayer(colLearner, Seat.Col, batch, game.PolicySize, Seeds.Derive(seed, 0, 1)));
        var referee = new MatchReferee(game, batch, steps);
        MatchResult result;
        if (json)
            result = Match.Play(referee, row, col);
        else
            result = AnsiConsole.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask($"{rowName} vs {colName} on {gameName}", maxValue: steps);
                return Match.Play(referee, row, col, (_, _, _) => task.Increment(1));
            });
        var rowSummary = SideSummary.Of(result.Row.Curve, row.Rewards);
        var colSummary = SideSummary.Of(result.Col.Curve, col.Rewards);
        if (plotFile is not null)
            PlayPlot.Save(plotFile, result, $"{game.Name}: {result.Row.Player} vs {result.Col.Player}, {batch} games, seed {seed}, init {init}");
        if (json)
        {
            Console.WriteLine(new JObject
            {
                ["game"] = result.Game, ["batch"] = result.Batch, ["steps"] = result.Steps, ["seed"] = seed, ["init"] = init,
                ["row"] = Side(result.Row, rowSummary),
                ["col"] = Side(result.Col, colSummary),
            }.ToString(Newtonsoft.Json.Formatting.None));
            return ExitCodes.Ok;
        }
        var table = new Table().Title($"{game.Name}: {batch} games, {steps} steps, seed {seed}, init {init}")
            .AddColumn("seat").AddColumn("learner").AddColumn(new TableColumn("mean reward / step").RightAligned())
            .AddColumn(new TableColumn("first step").RightAligned()).AddColumn(new TableColumn("last step").RightAligned())
            .AddColumn(new TableColumn($"last {Math.Min(SideSummary.FinalWindow, steps)} steps").RightAligned());
        foreach (var (seat, side, summary) in new[] { ("row", result.Row, rowSummary), ("col", result.Col, colSummary) })
            table.AddRow(seat, side.Player, side.Reward.ToString("F4"), side.Curve[0].ToString("F4"), side.Curve[^1].ToString("F4"),
                summary.Final.ToString("F4"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>The learner <paramref name="name"/> with its configured settings, starting from `--init` unless it has a
    /// start of its own (M-MAML's vector, a fixed strategy).</summary>
    private static IInnerLearner CreateLearner(ShapingConfig config, string name, MatrixGame game, StartDistribution start) =>
        LearnerCatalog.Create(name, game, config.LearnerSettings(name, game) with { Start = start });

    private static JObject Side(SideResult side, SideSummary summary) => new()
    {
        ["learner"] = side.Player,
        ["reward"] = side.Reward,
        ["final"] = summary.Final,
        ["finals"] = new JArray(summary.Finals),
        ["curve"] = new JArray(summary.Curve),
    };

    private static void CheckPlotFile(string path)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--plot needs a .png file name, got '{path}'");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) throw new ArgumentException($"--plot: directory '{directory}' does not exist");
    }
}
