using Microsoft.Data.Sqlite;
using ShapingCluster.Actors.Persistence;

namespace ShapingCluster.Tests.Actors;

/// <summary>Reads a run directory's SQLite snapshot store directly, as a user with sqlite3 would.</summary>
public static class SnapshotTable
{
    /// <summary>The newest snapshot's sequence number of every persistence id.</summary>
    public static Dictionary<string, long> NewestSequenceNumbers(string runDirectory)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(runDirectory, PersistenceSettings.SnapshotFile)}");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT persistence_id, max(sequence_number) FROM snapshot GROUP BY persistence_id";
        using var reader = query.ExecuteReader();
        var result = new Dictionary<string, long>();
        while (reader.Read()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }
}
