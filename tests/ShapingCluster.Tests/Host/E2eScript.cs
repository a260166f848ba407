using System.Diagnostics;

namespace ShapingCluster.Tests.Host;

/// <summary>Runs a script of tests/e2e with the built `shaping` of this test run; returns its output, asserting success.</summary>
internal static class E2eScript
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ShapingCluster.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ShapingCluster.sln not found above the test binaries");
    }

    public static string Run(string script, TimeSpan timeout, params string[] args)
    {
        var work = Directory.CreateTempSubdirectory("shaping-e2e-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tests", "e2e", script));
            foreach (var a in args) start.ArgumentList.Add(a);
            start.ArgumentList.Add(work);
            start.Environment["SHAPING"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "shaping.dll")}";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(timeout), $"{script} did not finish within {timeout}");
            Assert.True(process.ExitCode == 0, $"{stdout.Result}\n{stderr.Result}");
            return stdout.Result;
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
