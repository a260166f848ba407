namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// How a node's Akka port is guarded. <see cref="Open"/>: plain TCP, allowed on loopback only (every local process
/// can then talk to it: development clusters and tests). <see cref="Tls"/>: TLS with mutual authentication against
/// the cluster's authority, required for any other address. <see cref="Embedded"/>: the one-node runs of `train`
/// and `resume`: TLS with an identity that exists only in this process, so no other process completes a handshake,
/// and Akka's untrusted mode on top (no remote deployment, no actor selection but of the status actor, no
/// PoisonPill or Terminate from outside) in case one ever did.
/// </summary>
public sealed record NodeSecurity(ClusterCertificates? Certificates, bool IsEmbedded)
{
    public static NodeSecurity Open { get; } = new(null, false);

    public static NodeSecurity Tls(ClusterCertificates certificates) => new(certificates, false);

    public static NodeSecurity Embedded() => new(ClusterCertificates.Private(), true);
}
