using Akka.Actor;
using ShapingCluster.Actors.Telemetry;

namespace ShapingCluster.Tests.Telemetry;

/// <summary>
/// Reads <see cref="NodeHealth"/> as a supervisor polls it. <c>Cluster.State</c> is a read view updated by its own
/// actor, and the member-up callback may run before that view shows the node Up (CI once saw "Joining" right after the
/// callback), so a test waits for the probe's answer instead of the callback.
/// </summary>
public static class HealthProbe
{
    public static async Task<NodeHealth> UntilUp(ActorSystem system, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var health = NodeHealth.Of(system);
        while (health.Status != "Up" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            health = NodeHealth.Of(system);
        }
        return health;
    }
}
