using Microsoft.Data.Sqlite;
using ShapingCluster.Actors;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Nodes;
using ShapingCluster.Actors.Persistence;
using ShapingCluster.Algorithms.Population;
using ShapingCluster.Tests.Actors;

namespace ShapingCluster.Tests.Security;

/// <summary>Issue 14: journal and snapshot rows are read only with the serializers ShapingCluster writes them with.</summary>
[Collection("cluster")]
public class JournalRowCheckSpec : IDisposable
{
    private static readonly ShapingCluster.Actors.Configuration.ShapingConfig SmallMfos = TestGames.Mfos(hidden: 8, learningRate: 2e-3);

    private readonly string _dir = Directory.CreateTempSubdirectory("shaping-rows-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly PopulationSettings Settings = new()
    {
        Name = "rows", Members = TestGames.MfosMembers(1), Pairing = Pairing.Fixed, Rounds = 1, Batch = 16, MetaSteps = 3,
    };

    private void Tamper(string file, string sql)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, file)}");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private ShapingConfigException Restart()
    {
        SqliteConnection.ClearAllPools();
        // SQLite's -shm file is a shared-memory index any reader updates (and rebuilds when missing): not data.
        var files = Directory.GetFiles(_dir).Where(f => !f.EndsWith("-shm")).ToDictionary(f => f, File.ReadAllBytes);
        var error = Assert.Throws<ShapingConfigException>(() =>
            ShapingNode.Start(SmallMfos, new PopulationContext(SmallMfos, Settings, _dir), 0, [], security: NodeSecurity.Embedded()));
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key))); // refused before anything was written
        return error;
    }

    [Fact]
    public async Task Rows_that_claim_another_serializer_or_none_are_refused_before_the_journal_reads_them()
    {
        await using (var run = ClusterHarness.Start(1, Settings, _dir))
            await run.AwaitFinished(TimeSpan.FromSeconds(60));

        Tamper(PersistenceSettings.JournalFile,
            "UPDATE journal SET identifier = 1, manifest = 'Evil.Gadget, EvilAssemblyInJournal' WHERE ordering = (SELECT min(ordering) FROM journal)");
        var error = Restart();
        Assert.Contains("rows/arena #1 claims serializer id 1", error.Message);
        Assert.Contains("changed outside ShapingCluster", error.Message);

        Tamper(PersistenceSettings.JournalFile, "UPDATE journal SET identifier = NULL WHERE identifier = 1");
        Assert.Contains("claims no serializer id", Restart().Message);
        Tamper(PersistenceSettings.JournalFile, "UPDATE journal SET identifier = 7301 WHERE identifier IS NULL");

        Tamper(PersistenceSettings.SnapshotFile, "UPDATE snapshot SET serializer_id = 16 WHERE rowid = (SELECT min(rowid) FROM snapshot)");
        Assert.Contains("rows/learner/mfos-0", Restart().Message);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "EvilAssemblyInJournal");
    }
}
