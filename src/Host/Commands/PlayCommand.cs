using System.CommandLine;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Numerics;
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
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var config = ConfigOption.Create();
        var command = new Command("play", "a match between two inner learners: both learn for --steps steps on --batch games")
        {
            game, row, col, batch, steps, seed, json, config,
        };
        command.SetAction(parsed => CommandErrors.Guard(() => Run(
            parsed.GetValue(game)!, parsed.GetValue(row)!, parsed.GetValue(col)!, parsed.GetValue(batch),
            parsed.GetValue(steps), parsed.GetValue(seed), parsed.GetValue(json), parsed.GetValue(config)!)));
        return command;
    }

    private static int Run(string gameName, string rowName, string colName, int batch, int steps, long seed, bool json, string[] configFiles)
    {
        if (batch < 1) throw new ArgumentException($"--batch must be ≥ 1, got {batch}");
        if (steps < 1) throw new ArgumentException($"--steps must be ≥ 1, got {steps}");
        var config = ShapingConfig.Load(configFiles);
        config.ApplyTorchSettings();
        var game = config.Game(gameName);
        var rowLearner = config.CreateLearner(rowName, game);
        var colLearner = config.CreateLearner(colName, game);
        using var row = new InnerLearnerPlayer(rowLearner, Seat.Row, batch, game.PolicySize, Seeds.Derive(seed, 0, 0));
        using var col = new InnerLearnerPlayer(colLearner, Seat.Col, batch, game.PolicySize, Seeds.Derive(seed, 0, 1));
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
        if (json)
        {
            Console.WriteLine(new JObject
            {
                ["game"] = result.Game, ["batch"] = result.Batch, ["steps"] = result.Steps, ["seed"] = seed,
                ["row"] = new JObject { ["learner"] = result.Row.Player, ["reward"] = result.Row.Reward },
                ["col"] = new JObject { ["learner"] = result.Col.Player, ["reward"] = result.Col.Reward },
            }.ToString(Newtonsoft.Json.Formatting.None));
            return ExitCodes.Ok;
        }
        var table = new Table().Title($"{game.Name}: {batch} games, {steps} steps, seed {seed}")
            .AddColumn("seat").AddColumn("learner").AddColumn(new TableColumn("mean reward / step").RightAligned())
            .AddColumn(new TableColumn("first step").RightAligned()).AddColumn(new TableColumn("last step").RightAligned());
        foreach (var (seat, side) in new[] { ("row", result.Row), ("col", result.Col) })
            table.AddRow(seat, side.Player, side.Reward.ToString("F4"), side.Curve[0].ToString("F4"), side.Curve[^1].ToString("F4"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }
}
