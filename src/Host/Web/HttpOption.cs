using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Web;

/// <summary>
/// --http HOST:PORT: serve the read-only dashboard, /metrics and /health there. Off by default. A loopback address
/// (127.0.0.1, [::1], localhost) serves plain HTTP to the processes of this machine (watch from elsewhere through an
/// SSH tunnel). Any other address is refused unless the node has the cluster's certificates (--certs): it then serves
/// HTTPS with the node's certificate and answers only clients that present a certificate of the cluster's
/// authority, the rule the Akka port follows ("nobody outside the cluster gets in").
/// </summary>
public static class HttpOption
{
    public static Option<string?> Create() => new("--http")
    {
        Description = "serve the read-only dashboard, /metrics and /health at HOST:PORT (e.g. 127.0.0.1:8080; loopback unless the node has --certs)",
    };

    /// <param name="certificates">the node's certificates; null for a node without TLS (and for embedded runs,
    /// whose private identity no client could present).</param>
    /// <returns>null when the option was not given.</returns>
    public static DashboardEndpoint? Parse(string? value, ClusterCertificates? certificates)
    {
        if (value is null) return null;
        int colon = value.LastIndexOf(':');
        string host = colon > 0 ? value[..colon].Trim('[', ']') : "";
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], out int port) || port is < 0 or > 65535)
            throw new ArgumentException($"--http: '{value}' is not HOST:PORT (e.g. 127.0.0.1:8080; port 0..65535, 0 = any free port)");
        IPAddress address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(host, out address!))
            throw new ArgumentException($"--http: '{host}' is not an IP address or localhost (give the address to listen on, e.g. 127.0.0.1 or 0.0.0.0)");
        bool loopback = IPAddress.IsLoopback(address);
        if (!loopback && certificates is null)
            throw new ArgumentException($"--http {value}: {host} is not a loopback address, and a dashboard reachable from the network must speak TLS: " +
                "give the node its certificates (--certs DIR, `shaping certs`) to serve HTTPS to holders of the cluster's certificates only, " +
                "or listen on 127.0.0.1 and watch through an SSH tunnel (README \"Watching a run\")");
        if (port != 0) CheckPortFree(address, port, value);
        return new DashboardEndpoint(address, port, loopback ? null : certificates);
    }

    /// <summary>A port in use is reported before the node starts, as one line (Kestrel would fail after it started).</summary>
    private static void CheckPortFree(IPAddress address, int port, string value)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException e) { throw new ArgumentException($"--http {value}: cannot listen there: {e.Message}"); }
    }
}
