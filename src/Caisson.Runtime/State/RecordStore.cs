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

    public void Delete(string id)
    {
        File.Delete(PathOf(id));
        _records.TryRemove(id, out _);
    }

    private string PathOf(string id) => Path.Combine(_directory, id + ".json");
}
