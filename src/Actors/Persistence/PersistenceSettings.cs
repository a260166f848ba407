using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ShapingCluster.Actors.Persistence;

/// <summary>
/// Where a run's journal and snapshots live: SQLite files in the run directory (the embedded default; several
/// processes of one machine may share them), PostgreSQL (a cluster spanning machines; same code), or memory (tests:
/// nothing survives the process). Learners snapshot every <see cref="SnapshotEvery"/> learned matches and keep
/// the newest <see cref="KeepSnapshots"/>.
/// </summary>
public sealed record PersistenceSettings(string Store, string PostgresConnectionString, int SnapshotEvery, int KeepSnapshots)
{
    public const string JournalFile = "journal.db";
    public const string SnapshotFile = "snapshots.db";

    /// <summary>The Akka.Persistence configuration for a run in <paramref name="runDirectory"/>.</summary>
    public Config AkkaConfig(string runDirectory)
    {
        if (Store == "memory")
            return ConfigurationFactory.ParseString("""
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """);
        var (journal, snapshots, provider) = Store == "sqlite"
            ? (Sqlite(Path.Combine(runDirectory, JournalFile)), Sqlite(Path.Combine(runDirectory, SnapshotFile)), "SQLite.MS")
            : (PostgresConnectionString, PostgresConnectionString, "PostgreSQL.15");
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = "{{journal}}"
                  provider-name = "{{provider}}"
                  auto-initialize = on
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = "{{snapshots}}"
                  provider-name = "{{provider}}"
                  auto-initialize = on
                }
              }
            }
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    /// <summary>Creates the SQLite files in WAL mode (several writers, readers never blocked); a no-op otherwise.</summary>
    public void Prepare(string runDirectory)
    {
        if (Store != "sqlite") return;
        Directory.CreateDirectory(runDirectory);
        foreach (var file in new[] { JournalFile, SnapshotFile })
        {
            using var connection = new SqliteConnection(Sqlite(Path.Combine(runDirectory, file)));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }
    }

    private static string Sqlite(string path) => $"Data Source={path};Pooling=True;Default Timeout=60";
}
