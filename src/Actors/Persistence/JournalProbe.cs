using Microsoft.Data.Sqlite;
using Npgsql;

namespace ShapingCluster.Actors.Persistence;

/// <summary>
/// What a run's journal holds, read before any node starts on it: starting on a missing or emptied journal would
/// create a new one and play the run again from the start over the old run's files, so a resume checks first.
/// </summary>
public static class JournalProbe
{
    /// <summary>The number of journal rows of <paramref name="persistenceId"/>; null when there is no journal at all.
    /// An <see cref="InvalidDataException"/> names a journal that cannot be read.</summary>
    public static long? Events(PersistenceSettings settings, string runDirectory, string persistenceId)
    {
        switch (settings.Store)
        {
            case "sqlite":
                var file = Path.Combine(runDirectory, PersistenceSettings.JournalFile);
                if (!File.Exists(file)) return null;
                if (new FileInfo(file).Length == 0) return 0;
                try
                {
                    using var sqlite = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                    sqlite.Open();
                    using var exists = sqlite.CreateCommand();
                    exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
                    if (Convert.ToInt64(exists.ExecuteScalar()) == 0) return 0;
                    using var count = sqlite.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM journal WHERE persistence_id = $id";
                    count.Parameters.AddWithValue("$id", persistenceId);
                    return Convert.ToInt64(count.ExecuteScalar());
                }
                catch (SqliteException e) { throw new InvalidDataException($"{file} is not a readable journal ({e.Message.TrimEnd('.')})"); }
            case "postgresql":
                try
                {
                    using var postgres = new NpgsqlConnection(settings.PostgresConnectionString);
                    postgres.Open();
                    using var exists = postgres.CreateCommand();
                    exists.CommandText = "SELECT to_regclass('journal') IS NOT NULL";
                    if (exists.ExecuteScalar() is not true) return 0;
                    using var count = postgres.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM journal WHERE persistence_id = @id";
                    count.Parameters.AddWithValue("id", persistenceId);
                    return Convert.ToInt64(count.ExecuteScalar());
                }
                catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
                {
                    throw new InvalidDataException($"the PostgreSQL journal cannot be read ({e.Message.TrimEnd('.')})");
                }
            default:
                return null;
        }
    }
}
