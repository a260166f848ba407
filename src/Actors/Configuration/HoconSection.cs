using Akka.Configuration;
using ShapingCluster.Algorithms.Members;

namespace ShapingCluster.Actors.Configuration;

/// <summary>A HOCON section as a member kind reads it: every read names the full key path when it fails.</summary>
internal sealed class HoconSection(Config config, string path) : ISettingsSection
{
    public string Path => path;

    public bool Has(string key) => !config.IsEmpty && config.HasPath(key);

    public double Number(string key) => HoconReader.Number(Present(key), path, key);

    public int Integer(string key) => HoconReader.Integer(Present(key), path, key);

    public long Long(string key) => HoconReader.Long(Present(key), path, key);

    public bool Flag(string key) => HoconReader.Flag(Present(key), path, key);

    public string Text(string key) => HoconReader.Text(Present(key), key).Trim('"');

    public ISettingsSection Section(string key) => new HoconSection(Present(key).GetConfig(key), $"{path}.{key}");

    private Config Present(string key) =>
        Has(key) ? config : throw new ShapingConfigException($"{path}.{key} is missing");
}
