using Caisson.Core.Digests;
using Microsoft.Data.Sqlite;

namespace Caisson.Images.Metadata;

public sealed partial class MetadataStore
{
    private const string ImageColumns =
        "name, target_digest, target_media_type, target_size, manifest_digest, config_digest, created_ms, updated_ms";

    public ImageRecord? GetImage(string name)
    {
        using var connection = Open();
        using var command = Command(connection, null, $"SELECT {ImageColumns} FROM images WHERE name = $name", [("$name", name)]);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadImage(reader) : null;
    }

    public IReadOnlyList<ImageRecord> ListImages()
    {
        using var connection = Open();
        using var command = Command(connection, null, $"SELECT {ImageColumns} FROM images ORDER BY name", []);
        using var reader = command.ExecuteReader();
        var result = new List<ImageRecord>();
        while (reader.Read())
            result.Add(ReadImage(reader));
        return result;
    }

    /// <summary>Creates or repoints names in one transaction; returns the records as stored.</summary>
    public IReadOnlyList<ImageRecord> PutImages(IEnumerable<ImageRecord> records)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var now = NowMs;
        var stored = new List<ImageRecord>();
        foreach (var r in records)
        {
            Execute(connection, transaction, """
                INSERT INTO images (name, target_digest, target_media_type, target_size, manifest_digest, config_digest, created_ms, updated_ms)
                VALUES ($name, $target, $mt, $size, $manifest, $config, $now, $now)
                ON CONFLICT (name) DO UPDATE SET
                    target_digest = excluded.target_digest, target_media_type = excluded.target_media_type,
                    target_size = excluded.target_size, manifest_digest = excluded.manifest_digest,
                    config_digest = excluded.config_digest, updated_ms = excluded.updated_ms
                """,
                ("$name", r.Name), ("$target", r.TargetDigest.ToString()), ("$mt", r.TargetMediaType), ("$size", r.TargetSize),
                ("$manifest", r.ManifestDigest.ToString()), ("$config", r.ConfigDigest.ToString()), ("$now", now));
            using var command = Command(connection, transaction, $"SELECT {ImageColumns} FROM images WHERE name = $name", [("$name", r.Name)]);
            using var reader = command.ExecuteReader();
            reader.Read();
            stored.Add(ReadImage(reader));
        }

        transaction.Commit();
        return stored;
    }

    public bool DeleteImage(string name)
    {
        using var connection = Open();
        using var command = Command(connection, null, "DELETE FROM images WHERE name = $name", [("$name", name)]);
        return command.ExecuteNonQuery() > 0;
    }

    private static ImageRecord ReadImage(SqliteDataReader reader) => new(
        reader.GetString(0),
        Digest.Parse(reader.GetString(1)),
        reader.GetString(2),
        reader.GetInt64(3),
        Digest.Parse(reader.GetString(4)),
        Digest.Parse(reader.GetString(5)),
        FromMs(reader.GetInt64(6)),
        FromMs(reader.GetInt64(7)));
}
