namespace ShapingCluster.Tests.Host;

/// <summary>Runs tests/e2e/node-loss.sh against both journals: kill -9 of a random node mid-run, then of every node,
/// restart, and the run finishes with every planned match recorded once and no snapshot going back. The PostgreSQL
/// case runs as a multi-machine cluster would: TLS between the nodes, per-node certificates, a password-protected
/// server.</summary>
[Collection("cluster")]
public class NodeLossScriptTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql-tls")]
    public void A_killed_node_and_a_killed_cluster_lose_nothing_and_count_nothing_twice(string store) =>
        Assert.Contains("node-loss: OK", E2eScript.Run("node-loss.sh", TimeSpan.FromMinutes(10), store));
}
