using System.Globalization;
using Caisson.Core.Digests;
using Microsoft.Data.Sqlite;

namespace Caisson.Images.Metadata;

/// <summary>
/// The store's metadata in SQLite (WAL, synchronous FULL): image names, content and snapshot records, and leases
/// that keep what a running pull uses from garbage collection. Each call is one transaction.
/// </summary>
public sealed partial class MetadataStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public MetadataStore(string path, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        DatabasePath = path;
        Migrate();
    }

    public string DatabasePath { get; }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS images (
                name TEXT PRIMARY KEY,
                target_digest TEXT NOT NULL,
                target_media_type TEXT NOT NULL,
                target_size INTEGER NOT NULL,
                manifest_digest TEXT NOT NULL,
                config_digest TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS images_by_config ON images (config_digest);
            CREATE TABLE IF NOT EXISTS content (
                digest TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                media_type TEXT NOT NULL,
                created_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS snapshots (
                key TEXT PRIMARY KEY,
                parent TEXT,
                kind TEXT NOT NULL,
                created_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS leases (
                id TEXT PRIMARY KEY,
                created_ms INTEGER NOT NULL,
                expires_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS lease_resources (
                lease_id TEXT NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                resource TEXT NOT NULL,
                PRIMARY KEY (lease_id, kind, resource));
            """);
        var version = Scalar(connection, transaction, "SELECT version FROM schema_version LIMIT 1");
        if (version is null)
            Execute(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({SchemaVersion})");
        else if (Convert.ToInt32(version, CultureInfo.InvariantCulture) > SchemaVersion)
        {
            throw new Core.Errors.FailedPreconditionException(
                $"metadata database {DatabasePath} has schema version {version}, newer than this caissond understands ({SchemaVersion})");
        }

        transaction.Commit();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public void Dispose() => SqliteConnection.ClearAllPools();
}
