namespace ShapingCluster.Actors.Configuration;

/// <summary>A configuration problem, with a message that names the file or key and what is accepted.</summary>
public sealed class ShapingConfigException(string message) : Exception(message);
