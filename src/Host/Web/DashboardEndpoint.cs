using System.Net;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Web;

/// <summary>Where the dashboard listens; with <paramref name="Tls"/> it serves HTTPS with the node's certificate and
/// requires a client certificate of the cluster's authority (any address beyond loopback).</summary>
public sealed record DashboardEndpoint(IPAddress Address, int Port, ClusterCertificates? Tls);
