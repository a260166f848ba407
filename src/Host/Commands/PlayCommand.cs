using System.CommandLine;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using ShapingCluster.Host.Play;
using ShapingCluster.Host.Runs;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>`shaping play`: one match between two learners, no actor system. Either side may be a trained member
/// named by its run directory (<see cref="NamedMember"/>).</summary>
public static class PlayCommand
{
    public static Command Create()
    {
        var game = new Option<string>("--game") { Description = "game name (see hocon/games.conf)", Required = true };
        var row = new Option<string>("--row") { Description = "row learner: a learner name, or a training run directory (DIR or DIR/<member>)", DefaultValueFactory = _ => "nl" };
        var col = new Option<string>("--col") { Description = "column learner: a learner name, or a training run directory (DIR or DIR/<member>)", DefaultValueFactory = _ => "nl" };
        var batch = new Option<int>("--batch") { Description = "games played in parallel", DefaultValueFactory = _ => 8192 };
        var steps = new Option<int>("--steps") { Description = "learning steps of both sides", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var init = new Option<string>("--init")
        {
            Description = "start of learners without their own: normal = N(0, 1) logits per game, zeros = logit 0 everywhere " +
                          "(uniform play), uniform = U(-1, 1) logits per game (the official LOLA-DiCE runs' start); " +
                          "the same as shaping.learners.<learner>.start",
            DefaultValueFactory = _ => "normal",
        };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var plot = new Option<string?>("--plot") { Description = "also draw both sides' reward curves into this PNG file" };
        var config = ConfigOption.Create();
        var command = new Command("play", "a match between two learners (or trained members): both play --steps steps on --batch games")
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
        if (!StartDistributions.TryParse(init, out _))
            throw new ArgumentException($"--init must be {StartDistributions.Choices}, got '{init}'");
        if (plotFile is not null) CheckPlotFile(plotFile);
        // --init sets every learner's start; a learner with a start of its own (M-MAML's vector, a fixed strategy)
        // keeps it, and a trained member plays with the settings it was trained with.
        var defaults = ShapingConfig.Default().Root;
        var config = ShapingConfig.Load(configFiles, LearnerCatalog.Names.Where(name => defaults.HasPath($"shaping.learners.{name}.start"))
            .Select(name => $"shaping.learners.{name}.start = {init}"));
        config.ApplyTorchSettings();
        var game = config.Game(gameName);
        // A trained member plays as it was trained; it does not learn from this match.
        using var rowMember = NamedMember.Open(config, rowName, game, Seeds.Initialisation(seed, 0));
        using var colMember = NamedMember.Open(config, colName, game, Seeds.Initialisation(seed, 1));
        using var row = new RewardRecorder(rowMember.State.NewPlayer(new PlayerRequest(rowMember.Name, Seat.Row, batch, Seeds.Derive(seed, 0, 0), Learning: false)));
        using var col = new RewardRecorder(colMember.State.NewPlayer(new PlayerRequest(colMember.Name, Seat.Col, batch, Seeds.Derive(seed, 0, 1), Learning: false)));
        var referee = new MatchReferee(game, batch, steps);
        MatchResult result;
        if (json)
            result = Match.Play(referee, row, col);
        else
            result = AnsiConsole.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape($"{rowMember.Name} vs {colMember.Name} on {gameName}"), maxValue: steps);
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
            table.AddRow(seat, Markup.Escape(side.Player), side.Reward.ToString("F4"), side.Curve[0].ToString("F4"), side.Curve[^1].ToString("F4"),
                summary.Final.ToString("F4"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

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
