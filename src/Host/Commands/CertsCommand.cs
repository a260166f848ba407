using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ShapingCluster.Actors.Nodes;

namespace ShapingCluster.Host.Commands;

/// <summary>
/// `shaping certs --out DIR [--node NAME ...]`: a cluster's certificate authority and node certificates, for TLS with
/// mutual authentication between nodes. The authority's private key (DIR/ca.pfx) stays with the operator; each
/// node directory DIR/NAME (ca.crt + node.pfx) is what one machine gets, and `--certs DIR/NAME` uses. Run again with
/// new names to issue more certificates from the same authority; an existing file is never replaced.
/// One shared certificate (the default name "node") or one per machine: both work, since a node accepts any
/// certificate the authority signed; per-machine certificates let a lost machine's file be told apart.
/// Every file is created with mode 0600 (directories 0700).
/// </summary>
public static partial class CertsCommand
{
    public const string AuthorityKeyFile = "ca.pfx";
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "directory for the authority (ca.pfx, ca.crt) and one subdirectory per node", Required = true };
        var nodes = new Option<string[]>("--node")
        {
            Description = "name of a node certificate to issue (a subdirectory of --out); repeatable; default: node",
            AllowMultipleArgumentsPerToken = true,
        };
        var days = new Option<int>("--days") { Description = "how long node certificates stay valid", DefaultValueFactory = _ => 730 };
        var command = new Command("certs", "make a cluster certificate authority and node certificates for TLS between nodes (--certs)") { output, nodes, days };
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var names = p.GetValue(nodes) is { Length: > 0 } given ? given : ["node"];
            int validDays = p.GetValue(days);
            if (validDays is < 1 or > 36500) throw new ArgumentException($"--days must be 1..36500, got {validDays}");
            foreach (var line in Write(p.GetValue(output)!, names, TimeSpan.FromDays(validDays))) Console.WriteLine(line);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Creates (or reuses) the authority in <paramref name="directory"/> and issues one certificate per name;
    /// returns one line per file written.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<string> nodes, TimeSpan lifetime)
    {
        foreach (var name in nodes)
            if (!NodeName().IsMatch(name)) throw new ArgumentException($"--node '{name}': use letters, digits, '.', '_' and '-' only");
        if (nodes.Distinct().Count() != nodes.Count) throw new ArgumentException("--node names repeat");
        foreach (var name in nodes)
            if (Directory.Exists(Path.Combine(directory, name)))
                throw new ArgumentException($"{Path.Combine(directory, name)} exists already; issue the certificate under another --node name");
        if (File.Exists(directory)) throw new ArgumentException($"--out {directory} is a file");
        CreatePrivateDirectory(directory);
        var written = new List<string>();
        var keyPath = Path.Combine(directory, AuthorityKeyFile);
        X509Certificate2 authority;
        if (File.Exists(keyPath))
        {
            try { authority = CertificateAuthority.FromPkcs12(File.ReadAllBytes(keyPath)); }
            catch (CryptographicException e) { throw new ArgumentException($"{keyPath} is not a PKCS#12 authority with its key: {e.Message}"); }
            if (!authority.HasPrivateKey) throw new ArgumentException($"{keyPath} holds no private key");
            written.Add($"using the authority '{authority.Subject}' in {keyPath}");
        }
        else
        {
            authority = CertificateAuthority.Create($"ShapingCluster CA {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))} {DateTime.UtcNow:yyyy-MM-dd}", TimeSpan.FromDays(3650));
            WritePrivate(keyPath, CertificateAuthority.ToPkcs12(authority));
            WritePrivate(Path.Combine(directory, ClusterCertificates.AuthorityFile), System.Text.Encoding.ASCII.GetBytes(authority.ExportCertificatePem() + "\n"));
            written.Add($"{keyPath}: the authority's private key; keep it on this machine, copy it to no node");
        }
        using (authority)
            foreach (var name in nodes)
            {
                var nodeDirectory = Path.Combine(directory, name);
                CreatePrivateDirectory(nodeDirectory);
                using var node = CertificateAuthority.Issue(authority, name, lifetime);
                WritePrivate(Path.Combine(nodeDirectory, ClusterCertificates.AuthorityFile), System.Text.Encoding.ASCII.GetBytes(authority.ExportCertificatePem() + "\n"));
                WritePrivate(Path.Combine(nodeDirectory, ClusterCertificates.NodeFile), CertificateAuthority.ToPkcs12(node));
                written.Add($"{nodeDirectory}: certificate '{node.Subject}' valid until {node.NotAfter.ToUniversalTime():yyyy-MM-dd}; copy this directory to the machine and pass --certs {nodeDirectory}");
            }
        return written;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, PrivateDirectory);
    }

    /// <summary>Creates the file with mode 0600 from the start (never briefly readable by others); fails if it exists.</summary>
    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(bytes);
        }
        catch (IOException) when (File.Exists(path)) { throw new ArgumentException($"{path} exists already; not replacing it"); }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NodeName();
}
