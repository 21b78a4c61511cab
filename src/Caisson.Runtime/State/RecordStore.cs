using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Caisson.Images.Content;

namespace Caisson.Runtime.State;

/// <summary>
/// Records kept in memory (List and Status are served from here) and persisted one JSON file per record, each
/// change written atomically (temp, fsync, rename), so a crash leaves every record whole.
/// </summary>
public sealed class RecordStore<T>
    where T : class
{
    private readonly string _directory;
    private readonly JsonTypeInfo<T> _json;
    private readonly Func<T, string> _idOf;
    private readonly ConcurrentDictionary<string, T> _records = new(StringComparer.Ordinal);

    // Serializes Update and Delete, so a conditional change is decided on the current record and never brings back a deleted one.
    private readonly Lock _changeGate = new();

    public RecordStore(string directory, JsonTypeInfo<T> json, Func<T, string> idOf)
    {
        _directory = directory;
        _json = json;
        _idOf = idOf;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            if (JsonSerializer.Deserialize(File.ReadAllBytes(file), json) is { } record)
                _records[idOf(record)] = record;
        }
    }

    public IReadOnlyCollection<T> All => [.. _records.Values];

    public T? Get(string id) => _records.GetValueOrDefault(id);

    /// <summary>By id, or by a unique id prefix as people type them.</summary>
    public T? Find(string idOrPrefix)
    {
        if (string.IsNullOrEmpty(idOrPrefix))
            return null;
        if (_records.TryGetValue(idOrPrefix, out var exact))
            return exact;
        var matches = _records.Where(r => r.Key.StartsWith(idOrPrefix, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0].Value : null;
    }

    public void Put(T record)
    {
        var id = _idOf(record);
        Durability.WriteAtomic(PathOf(id), JsonSerializer.SerializeToUtf8Bytes(record, _json));
        _records[id] = record;
    }

    /// <summary>Deletes the record; true when this call removed it (false when it was already gone).</summary>
    public bool Delete(string id)
    {
        lock (_changeGate)
        {
            File.Delete(PathOf(id));
            return _records.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Replaces the record <paramref name="id"/> with <paramref name="change"/>'s result, decided on the record as it is
    /// now; returns the new record, or null when the record is gone or <paramref name="change"/> returned null (no change).
    /// </summary>
    public T? Update(string id, Func<T, T?> change)
    {
        lock (_changeGate)
        {
            if (!_records.TryGetValue(id, out var current) || change(current) is not { } updated)
                return null;
            Put(updated);
            return updated;
        }
    }

    private string PathOf(string id) => Path.Combine(_directory, id + ".json");
}
