using Newtonsoft.Json;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Commands;

/// <summary>A node's status as one JSON object: what `shaping status --json` prints and the dashboard's /api/status
/// serves, byte for byte the same rendering (NaN stays NaN: a utilisation not measured yet, λ outside self-play).</summary>
public static class StatusJson
{
    public static string Of(NodeStatusActor.NodeStatus status) =>
        JsonConvert.SerializeObject(status, Formatting.None, new JsonSerializerSettings { FloatFormatHandling = FloatFormatHandling.Symbol });
}
