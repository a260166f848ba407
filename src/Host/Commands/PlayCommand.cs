using System.CommandLine;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
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
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var config = ConfigOption.Create();
        var command = new Command("play", "a match between two learners (or trained members): both play --steps steps on --batch games")
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
        // A trained member plays as it was trained; it does not learn from this match.
        using var rowMember = NamedMember.Open(config, rowName, game, Seeds.Initialisation(seed, 0));
        using var colMember = NamedMember.Open(config, colName, game, Seeds.Initialisation(seed, 1));
        using var row = rowMember.State.NewPlayer(new PlayerRequest(rowMember.Name, Seat.Row, batch, Seeds.Derive(seed, 0, 0), Learning: false));
        using var col = colMember.State.NewPlayer(new PlayerRequest(colMember.Name, Seat.Col, batch, Seeds.Derive(seed, 0, 1), Learning: false));
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
            table.AddRow(seat, Markup.Escape(side.Player), side.Reward.ToString("F4"), side.Curve[0].ToString("F4"), side.Curve[^1].ToString("F4"));
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }
}
