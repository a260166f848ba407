using Newtonsoft.Json.Linq;

namespace ShapingCluster.Actors.Arena;

/// <summary>Numbers as the projections write them: rounded, and null for NaN or infinity (JSON has neither).</summary>
internal static class JsonNumbers
{
    public static JToken Of(double x, int digits = 6) => double.IsFinite(x) ? Math.Round(x, digits) : JValue.CreateNull();
}
