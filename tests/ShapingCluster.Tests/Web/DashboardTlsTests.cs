using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Host.Web;

namespace ShapingCluster.Tests.Web;

/// <summary>A dashboard beyond loopback (a node with certificates) speaks HTTPS and lets in only clients that hold a
/// certificate of the cluster's authority: the rule of the node's Akka port.</summary>
public sealed class DashboardTlsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-dashboard-tls-").FullName;
    private ActorSystem _system = null!;

    public async Task InitializeAsync()
    {
        _system = ActorSystem.Create("tls", ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            akka.coordinated-shutdown.exit-clr = off
            """));
        var cluster = Cluster.Get(_system);
        cluster.Join(cluster.SelfAddress);
        await Telemetry.HealthProbe.UntilUp(_system, TimeSpan.FromSeconds(30)); // /health answers 200 only when Up
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_client_with_a_cluster_certificate_gets_in_and_one_without_or_with_another_authoritys_does_not()
    {
        using var authority = CertificateAuthority.Create("dashboard test CA", TimeSpan.FromDays(1));
        using var stranger = CertificateAuthority.Create("another CA", TimeSpan.FromDays(1));
        // A node's directory as `shaping certs` writes it.
        var nodeDirectory = Directory.CreateDirectory(Path.Combine(_dir, "node")).FullName;
        File.WriteAllText(Path.Combine(nodeDirectory, ClusterCertificates.AuthorityFile), authority.ExportCertificatePem());
        using (var issued = CertificateAuthority.Issue(authority, "node", TimeSpan.FromDays(1)))
            File.WriteAllBytes(Path.Combine(nodeDirectory, ClusterCertificates.NodeFile), CertificateAuthority.ToPkcs12(issued));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(nodeDirectory, ClusterCertificates.NodeFile), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var certificates = ClusterCertificates.Load(nodeDirectory);
        X509Certificate2 Usable(X509Certificate2 ca, string name)
        {
            using var issued = CertificateAuthority.Issue(ca, name, TimeSpan.FromDays(1));
            return CertificateAuthority.FromPkcs12(CertificateAuthority.ToPkcs12(issued));
        }
        using var member = Usable(authority, "watcher");
        using var outsider = Usable(stranger, "outsider");

        var population = new PopulationContext(TestGames.Defaults, new PopulationSettings { Members = TestGames.MfosMembers(1) }, _dir);
        await using var server = DashboardServer.Start(_system, ActorRefs.Nobody, population, new DashboardEndpoint(IPAddress.Loopback, 0, certificates));
        Assert.Equal("https", server.Address.Scheme);
        var health = new Uri(server.Address, "/health");

        HttpClient Client(X509Certificate2? certificate)
        {
            var handler = new HttpClientHandler
            {
                ClientCertificateOptions = ClientCertificateOption.Manual,
                // The client trusts the cluster's authority alone, as a node does.
                ServerCertificateCustomValidationCallback = (_, server, _, _) => certificates.Refuses(server) is null,
            };
            if (certificate is not null) handler.ClientCertificates.Add(certificate);
            return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        }
        using (var client = Client(member))
        using (var response = await client.GetAsync(health))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var certificate in new[] { null, outsider })
        {
            using var client = Client(certificate);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(health));
        }
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(health) { Scheme = "http" }.Uri));
    }
}
