using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Newtonsoft.Json.Linq;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Telemetry;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Host.Web;
using ShapingCluster.Tests.Actors;
using ShapingCluster.Tests.Host;

namespace ShapingCluster.Tests.Telemetry;

/// <summary>The pieces behind the dashboard, without a run: the arena's board at league scale, the ratings history,
/// the board on the wire, a node's health, and the --http option's refusals.</summary>
public sealed class TelemetryTests() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Local)
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-telemetry-").FullName;

    protected override void Dispose(bool disposing)
    {
        if (disposing) Directory.Delete(_dir, recursive: true);
        base.Dispose(disposing);
    }

    [Fact]
    public void The_board_of_a_thousand_member_league_holds_only_the_best_players_cells()
    {
        var settings = new PopulationSettings
        {
            Name = "big", Members = Enumerable.Range(0, 1000).Select(i => new MemberSpec($"nl-{i}", "nl", false)).ToList(),
            Pairing = Pairing.Pfsp, MatchesPerRound = 2, Rounds = 3,
        };
        var state = new ArenaState(new MatchSchedule(settings));
        state.Apply(new RunStarted(1));
        var history = new RatingHistory();
        var random = new Random(3);
        for (int round = 1; round <= 3; round++)
        {
            state.Apply(new RoundStarted(round));
            foreach (var plan in state.RoundPlan.ToList())
                state.Apply(new MatchRecorded(new MatchOutcome(plan.Id, round, plan.Row.Name, plan.Col.Name, true, true,
                    -random.Next(0, 7) / 2.0, -random.Next(0, 7) / 2.0, "node", 0.1)));
            history.Add(round, new Dictionary<string, double>(state.Ratings.Current));
        }
        var failures = new RecentFailures();
        for (int i = 0; i < 60; i++) failures.Add($"m{i}", "timeout", DateTime.UnixEpoch.AddSeconds(i));

        var board = ArenaBoard.Of(new ArenaActor.GetBoard(), state, history, failures);
        Assert.Equal(40, board.Players.Count);
        Assert.Equal(1000, board.TablePlayers);
        Assert.Equal(40 * 40, board.CrossPlay.Length);
        var ratings = state.Ratings.Current;
        Assert.Equal(ratings.Values.OrderDescending().Take(40), board.Players.Select(p => ratings[p]));
        for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++)
        {
            double mean = state.Table.Mean(board.Players[i], board.Players[j]);
            Assert.True(double.IsNaN(mean) ? float.IsNaN(board.CrossPlay[i * 40 + j]) : Math.Abs(mean - board.CrossPlay[i * 40 + j]) < 1e-6);
        }
        Assert.Equal([1, 2, 3], board.Rounds);
        Assert.Equal(15, board.Ratings.Count);
        Assert.All(board.Ratings, line => Assert.Equal(3, line.Ratings.Length));
        Assert.Equal(10, board.Failures.Count);
        Assert.Equal("m59", board.Failures[0].Match); // newest first
        Assert.Equal(60, board.FailuresTotal);

        // On the wire it is a few kilobytes, whatever the league's size.
        var serializer = Sys.Serialization.FindSerializerFor(board);
        var bytes = serializer.ToBinary(board);
        Assert.InRange(bytes.Length, 1, 20_000);
        var back = (ArenaActor.Board)Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, board));
        Assert.Equal(board.Players, back.Players);
        Assert.Equal(board.CrossPlay, back.CrossPlay); // NaN cells included, bit for bit
        Assert.Equal(board.Matches, back.Matches);
        Assert.Equal(board.Ratings.Select(l => l.Ratings), back.Ratings.Select(l => l.Ratings));
        Assert.Equal(board.Failures, back.Failures);
    }

    [Fact]
    public void Rating_history_reads_the_last_rounds_of_a_long_file_from_its_end()
    {
        var path = Path.Combine(_dir, "ratings.jsonl");
        var players = Enumerable.Range(0, 300).Select(i => $"mfos-{i}").ToList();
        using (var writer = new StreamWriter(path))
        {
            for (int round = 1; round <= 250; round++)
                writer.Write(new JObject
                {
                    ["round"] = round,
                    ["ratings"] = new JObject(players.Select((p, i) => new JProperty(p, i == 0 ? null : 1500 + round + i))),
                }.ToString(Newtonsoft.Json.Formatting.None) + "\n");
            writer.Write("{\"round\": 251, \"ratings\": {\"mfo"); // a torn last line, as a crash leaves it
        }
        Assert.True(new FileInfo(path).Length > 4 * 65536, "the file spans several of the reader's blocks");

        var history = RatingHistory.Read(path);
        var rounds = history.Rounds.ToList();
        // The last RatingHistory.Kept lines, the torn one skipped.
        Assert.Equal(Enumerable.Range(252 - RatingHistory.Kept, RatingHistory.Kept - 1), rounds.Select(r => r.Round));
        Assert.True(double.IsNaN(rounds[^1].Ratings["mfos-0"]));
        Assert.Equal(1500 + 250 + 7, rounds[^1].Ratings["mfos-7"]);
        history.Add(250, new Dictionary<string, double>()); // a round replayed from the journal: already held
        Assert.Equal(300, history.Rounds.Last().Ratings.Count);
        history.Add(251, new Dictionary<string, double> { ["mfos-1"] = 1600 });
        Assert.Equal(RatingHistory.Kept, history.Rounds.Count());
        Assert.Empty(RatingHistory.Read(Path.Combine(_dir, "missing.jsonl")).Rounds);
    }

    [Fact]
    public async Task Health_is_Joining_until_the_node_is_Up_and_Removed_after_it_stopped()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            akka.coordinated-shutdown.exit-clr = off
            """);
        var system = ActorSystem.Create("health", config);
        try
        {
            var joining = NodeHealth.Of(system);
            Assert.Equal(("Joining", false), (joining.Status, joining.Healthy));
            var cluster = Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
            var health = await HealthProbe.UntilUp(system, TimeSpan.FromSeconds(30));
            Assert.Equal(("Up", true, 1), (health.Status, health.Healthy, health.Members));
        }
        finally { await system.Terminate(); }
        Assert.Equal(("Removed", false), (NodeHealth.Of(system).Status, NodeHealth.Of(system).Healthy));
    }

    [Fact]
    public void The_http_option_takes_loopback_addresses_and_refuses_the_network_without_certificates()
    {
        Assert.Null(HttpOption.Parse(null, null));
        Assert.Equal(IPAddress.Loopback, HttpOption.Parse("127.0.0.1:0", null)!.Address);
        Assert.Equal(IPAddress.Loopback, HttpOption.Parse("localhost:0", null)!.Address);
        Assert.Equal(IPAddress.IPv6Loopback, HttpOption.Parse("[::1]:0", null)!.Address);
        Assert.Null(HttpOption.Parse("127.0.0.1:0", null)!.Tls);
        Assert.Contains("not a loopback address", Assert.Throws<ArgumentException>(() => HttpOption.Parse("0.0.0.0:8080", null)).Message);
        Assert.Contains("not HOST:PORT", Assert.Throws<ArgumentException>(() => HttpOption.Parse("127.0.0.1", null)).Message);
        Assert.Contains("not HOST:PORT", Assert.Throws<ArgumentException>(() => HttpOption.Parse("127.0.0.1:70000", null)).Message);
        Assert.Contains("not an IP address", Assert.Throws<ArgumentException>(() => HttpOption.Parse("example.org:80", null)).Message);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Assert.Contains("cannot listen", Assert.Throws<ArgumentException>(() => HttpOption.Parse($"127.0.0.1:{port}", null)).Message);
    }

    [Fact]
    public void Train_refuses_a_dashboard_on_the_network_with_one_line_and_writes_nothing()
    {
        var config = Path.Combine(_dir, "population.conf");
        File.WriteAllText(config, "shaping.population { name = p, members = [\"nl:2\"], rounds = 1, batch = 8, meta-steps = 2 }");
        var run = Path.Combine(_dir, "run");
        var (exit, _, error) = PlayCommandTests.Shaping("train", "--config", config, "--out", run, "--http", "0.0.0.0:8080");
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("not a loopback address", error);
        Assert.False(Directory.Exists(run));
    }
}
