using System.Diagnostics;

namespace ShapingCluster.Tests.Host;

/// <summary>Runs tests/e2e/node-loss.sh against both journals: kill -9 of a random node mid-run, then of every node,
/// restart, and the run finishes with every planned match recorded once and no snapshot going back.</summary>
[Collection("cluster")]
public class NodeLossScriptTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void A_killed_node_and_a_killed_cluster_lose_nothing_and_count_nothing_twice(string store)
    {
        var work = Directory.CreateTempSubdirectory("shaping-loss-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(ThreeNodeScriptTests.RepositoryRoot(), "tests", "e2e", "node-loss.sh"));
            start.ArgumentList.Add(store);
            start.ArgumentList.Add(work);
            start.Environment["SHAPING"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "shaping.dll")}";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "the script did not finish within 10 minutes");
            Assert.True(process.ExitCode == 0, $"{stdout.Result}\n{stderr.Result}");
            Assert.Contains("node-loss: OK", stdout.Result);
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
