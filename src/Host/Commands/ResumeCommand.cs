using System.CommandLine;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Host.Runs;
using ShapingCluster.Host.Web;

namespace ShapingCluster.Host.Commands;

/// <summary>`shaping resume DIR`: continues a population run on this machine (one node) from its journal, with the
/// configuration copied into the run directory when it started. A cluster resumes by restarting its nodes.</summary>
public static class ResumeCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "the run directory" };
        var quiet = new Option<bool>("--quiet") { Description = "no live progress, one line per recorded match" };
        var http = HttpOption.Create();
        var command = new Command("resume", "continue a population run from its journal (the run directory holds everything)") { directory, quiet, http };
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var dir = p.GetValue(directory)!;
            var files = RunFile.ConfigFiles(dir);
            var config = ShapingConfig.Load(files);
            // An embedded run has no certificates a client could hold: its dashboard is loopback only.
            var dashboard = HttpOption.Parse(p.GetValue(http), certificates: null);
            return PopulationHost.Run(config, files, [], dir, port: 0, seedNodes: [], p.GetValue(quiet), stayAfterFinish: false, http: dashboard);
        }));
        return command;
    }
}
