using System.CommandLine;
using System.Globalization;
using Newtonsoft.Json.Linq;
using ShapingCluster.Host.Runs;
using Spectre.Console;

namespace ShapingCluster.Host.Commands;

/// <summary>`shaping report DIR`: the mean rewards of an M-FOS training run over the reference's episode windows
/// (<see cref="EpisodeWindows"/>); `train` prints the same table when it stops.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "an M-FOS training run directory (holds episodes.jsonl)" };
        var command = new Command("report", "mean rewards of a training run over episodes 1–10, 241–260, 491–510 and the last 50, per opponent kind") { directory };
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var run = new RunDirectory(p.GetValue(directory)!);
            if (!run.HoldsRun) throw new ArgumentException($"{run.Path} holds no training run (no run.json)");
            var episodes = run.ReadEpisodes();
            if (episodes.Count == 0) throw new ArgumentException($"{run.Path} holds no episodes yet");
            Print(episodes);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static void Print(IReadOnlyList<JObject> episodes)
    {
        if (episodes.Count == 0) return;
        var sides = episodes[0]["sides"]!.Select(s => (string)s!).ToArray();
        var table = new Table().Title("mean reward per step").AddColumn("opponent").AddColumn("episodes").AddColumn(new TableColumn("n").RightAligned());
        foreach (var side in sides) table.AddColumn(new TableColumn(Markup.Escape(side)).RightAligned());
        foreach (var row in EpisodeWindows.Of(episodes))
            table.AddRow([Markup.Escape(row.Opponent), row.Window, row.Episodes.ToString(CultureInfo.InvariantCulture),
                .. row.Rewards.Select(r => r.ToString("F3", CultureInfo.InvariantCulture))]);
        AnsiConsole.Write(table);
    }
}
