using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ShapingCluster.Actors.Serialization;

/// <summary>
/// Stands in for Akka's JSON fallback (serializer id 1, bound to System.Object): that serializer writes and, worse,
/// reads .NET type names ("$type"), so any peer, or anyone who can edit a journal row, could make a node load and
/// build a type of their choosing. Here id 1 refuses both ways. Every message ShapingCluster sends has a real
/// serializer (<see cref="ShapingSerializer"/> for IShapingMessage, Akka's own for Akka's messages), so nothing
/// legitimate ever reaches this one: a type that does is a missing binding, and the error says so. It is a
/// string-manifest serializer on purpose: for any other kind, Akka resolves the manifest as a type name before the
/// serializer is even asked.
/// </summary>
public sealed class RefusingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The id of the JSON serializer it replaces, so rows and messages that claim JSON land here.</summary>
    public const int JsonIdentifier = 1;

    /// <summary>Akka passes the replaced serializer's settings (akka.actor.serialization-settings.json); unused.</summary>
    public RefusingSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings) : this(system) { }

    public override int Identifier => JsonIdentifier;

    public override string Manifest(object o) => throw Unbound(o);

    public override byte[] ToBinary(object obj) => throw Unbound(obj);

    private static SerializationException Unbound(object obj) => new(
        $"{obj.GetType().FullName} has no serializer: ShapingCluster's messages implement IShapingMessage, and Akka's JSON " +
        "fallback (which resolves type names) is switched off");

    public override object FromBinary(byte[] bytes, string manifest) => throw new SerializationException(
        "refused a payload for serializer id 1 (Akka's JSON fallback, switched off in ShapingCluster: it would resolve a type " +
        "name chosen by the sender); a journal row with this id was not written by ShapingCluster");
}
