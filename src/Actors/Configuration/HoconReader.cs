using Akka.Configuration;

namespace ShapingCluster.Actors.Configuration;

/// <summary>Typed reads of HOCON values that fail with the full key path and the expected type.</summary>
internal static class HoconReader
{
    public static double Number(Config config, string path, string key)
    {
        try { return config.GetDouble(key); }
        catch (Exception) { throw new ShapingConfigException($"{path}.{key} must be a number, got '{Raw(config, key)}'"); }
    }

    /// <summary>A whole number that fits an int (a cast would saturate 1e12 to 2147483647 silently).</summary>
    public static int Integer(Config config, string path, string key) => (int)Whole(config, path, key, int.MinValue, int.MaxValue);

    public static long Long(Config config, string path, string key) => (long)Whole(config, path, key, -9.007199254740992e15, 9.007199254740992e15);

    private static double Whole(Config config, string path, string key, double min, double max)
    {
        var value = Number(config, path, key);
        if (value != Math.Floor(value)) throw new ShapingConfigException($"{path}.{key} must be a whole number, got {value}");
        if (value < min || value > max) throw new ShapingConfigException($"{path}.{key} = {value} is out of range ({min:G} to {max:G})");
        return value;
    }

    public static bool Flag(Config config, string path, string key)
    {
        var raw = Raw(config, key).Trim().ToLowerInvariant();
        return raw switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw new ShapingConfigException($"{path}.{key} must be on/off (true/false), got '{raw}'"),
        };
    }

    public static string Text(Config config, string key) => Raw(config, key);

    public static float[] Numbers(Config config, string path, string key)
    {
        try
        {
            return config.GetValue(key).GetArray().Select(ParseFloat).ToArray();
        }
        catch (Exception) { throw new ShapingConfigException($"{path}.{key} must be a list of numbers, got '{Raw(config, key)}'"); }
    }

    public static float[][] NumberRows(Config config, string path, string key)
    {
        try
        {
            return config.GetValue(key).GetArray()
                .Select(row => row.GetArray().Select(ParseFloat).ToArray())
                .ToArray();
        }
        catch (Exception) { throw new ShapingConfigException($"{path}.{key} must be a list of lists of numbers"); }
    }

    private static float ParseFloat(Akka.Configuration.Hocon.HoconValue value) =>
        float.Parse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<string> Keys(Config config) => config.IsEmpty ? [] : config.AsEnumerable().Select(kv => kv.Key);

    private static string Raw(Config config, string key)
    {
        try { return config.GetValue(key)?.ToString() ?? ""; } catch (Exception) { return "?"; }
    }
}
