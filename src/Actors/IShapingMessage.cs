namespace ShapingCluster.Actors;

/// <summary>Marker of every message that may cross a process boundary; all are serialized by
/// <see cref="Serialization.ShapingSerializer"/>.</summary>
public interface IShapingMessage;
