using Microsoft.Data.Sqlite;

namespace Caisson.Images.Metadata;

public sealed partial class MetadataStore
{
    public void PutContent(string digest, long size, string mediaType)
    {
        using var connection = Open();
        Execute(connection, null, """
            INSERT INTO content (digest, size, media_type, created_ms) VALUES ($d, $s, $m, $now)
            ON CONFLICT (digest) DO UPDATE SET media_type = excluded.media_type
            """, ("$d", digest), ("$s", size), ("$m", mediaType), ("$now", NowMs));
    }

    public void DeleteContent(string digest)
    {
        using var connection = Open();
        Execute(connection, null, "DELETE FROM content WHERE digest = $d", ("$d", digest));
    }

    public IReadOnlyDictionary<string, (long Size, string MediaType)> ListContent()
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT digest, size, media_type FROM content", []);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        while (reader.Read())
            result[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        return result;
    }

    public void PutSnapshot(string key, string? parent, string kind)
    {
        using var connection = Open();
        Execute(connection, null, """
            INSERT INTO snapshots (key, parent, kind, created_ms) VALUES ($k, $p, $kind, $now)
            ON CONFLICT (key) DO NOTHING
            """, ("$k", key), ("$p", parent), ("$kind", kind), ("$now", NowMs));
    }

    public void DeleteSnapshot(string key)
    {
        using var connection = Open();
        Execute(connection, null, "DELETE FROM snapshots WHERE key = $k", ("$k", key));
    }

    public IReadOnlyList<SnapshotRecord> ListSnapshots()
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT key, parent, kind, created_ms FROM snapshots", []);
        using var reader = command.ExecuteReader();
        var result = new List<SnapshotRecord>();
        while (reader.Read())
            result.Add(ReadSnapshot(reader));
        return result;
    }

    private static SnapshotRecord ReadSnapshot(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), FromMs(reader.GetInt64(3)));
}
