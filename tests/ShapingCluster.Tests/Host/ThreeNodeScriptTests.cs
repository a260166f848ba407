namespace ShapingCluster.Tests.Host;

/// <summary>Runs tests/e2e/three-nodes.sh: three real `shaping node` processes on loopback.</summary>
[Collection("cluster")]
public class ThreeNodeScriptTests
{
    [Fact]
    public void Three_node_processes_run_a_population_with_matches_on_all_three_each_counted_once() =>
        Assert.Contains("e2e: OK", E2eScript.Run("three-nodes.sh", TimeSpan.FromMinutes(6)));
}
