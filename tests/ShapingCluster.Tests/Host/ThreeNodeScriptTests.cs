using System.Diagnostics;

namespace ShapingCluster.Tests.Host;

/// <summary>Runs tests/e2e/three-nodes.sh: three real `shaping node` processes on loopback.</summary>
[Collection("cluster")]
public class ThreeNodeScriptTests
{
    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ShapingCluster.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ShapingCluster.sln not found above the test binaries");
    }

    [Fact]
    public void Three_node_processes_run_a_population_with_matches_on_all_three_each_counted_once()
    {
        var work = Directory.CreateTempSubdirectory("shaping-e2e-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tests", "e2e", "three-nodes.sh"));
            start.ArgumentList.Add(work);
            start.Environment["SHAPING"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "shaping.dll")}";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(6)), "the script did not finish within 6 minutes");
            Assert.True(process.ExitCode == 0, $"{stdout.Result}\n{stderr.Result}");
            Assert.Contains("e2e: OK", stdout.Result);
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
