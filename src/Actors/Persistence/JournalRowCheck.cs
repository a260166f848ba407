using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ShapingCluster.Actors.Configuration;
using ShapingCluster.Actors.Serialization;

namespace ShapingCluster.Actors.Persistence;

/// <summary>
/// Before a node reads a run's journal: every event row of the run must claim ShapingSerializer (7301) and every
/// snapshot row Akka's byte-array serializer (4), the only serializers ShapingCluster writes them with.
/// Akka.Persistence.Sql picks the serializer from the row's own id, and for a row without one resolves the row's
/// manifest as a .NET type name; it offers no hook to restrict either, so rows that claim anything else are refused
/// here, with one line naming the row, before Akka reads them.
/// </summary>
public static class JournalRowCheck
{
    public const int EventSerializer = 7301;
    public const int SnapshotSerializer = 4;

    public static void Run(PersistenceSettings settings, string runDirectory, string population)
    {
        if (settings.Store == "memory") return;
        if (settings.Store == "sqlite")
        {
            foreach (var (file, query) in new[] { (PersistenceSettings.JournalFile, JournalQuery), (PersistenceSettings.SnapshotFile, SnapshotQuery) })
            {
                var path = Path.Combine(runDirectory, file);
                if (!File.Exists(path)) continue;
                using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
                Check(connection, query, population, path);
            }
        }
        else
        {
            using var journal = new NpgsqlConnection(settings.PostgresConnectionString);
            Check(journal, JournalQuery, population, "the PostgreSQL journal");
            using var snapshots = new NpgsqlConnection(settings.PostgresConnectionString);
            Check(snapshots, SnapshotQuery, population, "the PostgreSQL snapshot store");
        }
    }

    private static readonly string JournalQuery =
        $"SELECT persistence_id, sequence_number, identifier FROM journal WHERE persistence_id LIKE @prefix ESCAPE '\\' AND (identifier IS NULL OR identifier <> {EventSerializer}) ORDER BY sequence_number LIMIT 1";

    private static readonly string SnapshotQuery =
        $"SELECT persistence_id, sequence_number, serializer_id FROM snapshot WHERE persistence_id LIKE @prefix ESCAPE '\\' AND (serializer_id IS NULL OR serializer_id <> {SnapshotSerializer}) ORDER BY sequence_number LIMIT 1";

    private static void Check(DbConnection connection, string query, string population, string where)
    {
        try { connection.Open(); }
        catch (Exception e) when (e is DbException) { return; } // a database that cannot be opened is reported by the journal itself
        using var command = connection.CreateCommand();
        command.CommandText = query;
        var prefix = command.CreateParameter();
        prefix.ParameterName = "prefix";
        prefix.Value = population.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "/%";
        command.Parameters.Add(prefix);
        DbDataReader reader;
        try { reader = command.ExecuteReader(); }
        catch (DbException) { return; } // no table yet: a new run (the journal creates it)
        using (reader)
        {
            if (!reader.Read()) return;
            var id = reader.IsDBNull(2) ? "no serializer id" : $"serializer id {reader.GetInt32(2)}";
            int expected = query == JournalQuery ? EventSerializer : SnapshotSerializer;
            throw new ShapingConfigException($"{where}: row {reader.GetString(0)} #{reader.GetInt64(1)} claims {id}, but ShapingCluster writes " +
                $"these rows with serializer {expected} only ({(expected == EventSerializer ? nameof(ShapingSerializer) : "bytes")}); the row was " +
                "changed outside ShapingCluster and is not read");
        }
    }
}
