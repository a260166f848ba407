using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using ShapingCluster.Actors.Configuration;

namespace ShapingCluster.Actors.Nodes;

/// <summary>
/// What a node needs to speak TLS with mutual authentication: the cluster's certificate authority (the only trust
/// anchor: the operating system's store is never consulted) and this node's own certificate with its key. A peer,
/// server or client, is accepted only if its certificate chains to that authority directly, is valid now and may
/// serve both ends of a TLS connection; host names are not checked (nodes are addressed by IP or by name alike, and
/// every holder of a certificate from the authority is a member by definition).
/// </summary>
public sealed class ClusterCertificates
{
    /// <summary>The authority's certificate (public) in a node's directory.</summary>
    public const string AuthorityFile = "ca.crt";
    /// <summary>The node's certificate and private key (PKCS#12) in a node's directory.</summary>
    public const string NodeFile = "node.pfx";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private ClusterCertificates(X509Certificate2 authority, X509Certificate2 node, string source)
    {
        Authority = authority;
        Node = node;
        Source = source;
    }

    public X509Certificate2 Authority { get; }
    public X509Certificate2 Node { get; }
    /// <summary>Where they came from (a directory, or "an identity private to this process").</summary>
    public string Source { get; }

    /// <summary>The last peer certificate this node refused and why (for the one line a node prints when it could not join).</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Reads a directory made by `shaping certs` (ca.crt and node.pfx), checking that the node's
    /// certificate is one the authority signed, is valid now and has its private key.</summary>
    public static ClusterCertificates Load(string directory)
    {
        var caPath = Path.Combine(directory, AuthorityFile);
        var nodePath = Path.Combine(directory, NodeFile);
        if (!Directory.Exists(directory)) throw new ShapingConfigException($"certificate directory '{directory}' not found (make one with `shaping certs --out DIR`)");
        foreach (var file in new[] { caPath, nodePath })
            if (!File.Exists(file)) throw new ShapingConfigException($"{file} not found: a certificate directory holds {AuthorityFile} and {NodeFile} (made by `shaping certs`)");
        X509Certificate2 authority, node;
        try { authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPath)); }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { throw new ShapingConfigException($"{caPath} is not a PEM certificate: {e.Message}"); }
        try { node = CertificateAuthority.FromPkcs12(File.ReadAllBytes(nodePath)); }
        catch (CryptographicException e) { throw new ShapingConfigException($"{nodePath} is not a PKCS#12 certificate with its key: {e.Message}"); }
        if (!node.HasPrivateKey) throw new ShapingConfigException($"{nodePath} holds no private key");
        var certificates = new ClusterCertificates(authority, node, directory);
        if (certificates.Refuses(node) is { } problem) throw new ShapingConfigException($"{nodePath}: {problem}");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(nodePath) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            Console.Error.WriteLine($"shaping: warning: {nodePath} holds a private key and is readable by other users; chmod 600 it");
        return certificates;
    }

    /// <summary>A throwaway authority and node certificate that exist only in this process: a node using them can
    /// talk to nobody, and nobody can talk to it (the embedded one-node runs).</summary>
    public static ClusterCertificates Private()
    {
        using var authority = CertificateAuthority.Create($"ShapingCluster private CA {Environment.ProcessId}", TimeSpan.FromDays(3650));
        using var node = CertificateAuthority.Issue(authority, "private-node", TimeSpan.FromDays(3650));
        // Round-trip through PKCS#12 so that TLS can use the key on every platform.
        return new ClusterCertificates(X509CertificateLoader.LoadCertificate(authority.RawData),
            CertificateAuthority.FromPkcs12(CertificateAuthority.ToPkcs12(node)), "an identity private to this process");
    }

    /// <summary>Akka.Remote's TLS setup: mutual authentication, validation by <see cref="Validate"/> only.</summary>
    public DotNettySslSetup SslSetup() =>
        new(Node, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, customValidator: Validate);

    /// <summary>Why <paramref name="certificate"/> is not a certificate of this cluster, or null if it is.</summary>
    public string? Refuses(X509Certificate2? certificate)
    {
        if (certificate is null) return "presented no certificate";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the authority publishes no revocation list
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        bool built = chain.Build(certificate);
        // Directly signed by the authority: exactly [peer, authority], the authority being ours byte for byte.
        bool direct = chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(Authority.RawData);
        if (built && direct) return null;
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"certificate '{certificate.Subject}' (issued by '{certificate.Issuer}') is not one of this cluster's: " +
               (status.Length > 0 ? status : "not signed by the cluster's authority") + $" (the cluster's authority is '{Authority.Subject}')";
    }

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string peer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        // The errors SslStream reports come from the operating system's trust store, which plays no part here.
        var problem = Refuses(certificate);
        if (problem is null) return true;
        LastRefusal = $"peer {peer} {problem}";
        log.Warning("refused TLS peer {0}: {1}", peer, problem);
        return false;
    }
}
