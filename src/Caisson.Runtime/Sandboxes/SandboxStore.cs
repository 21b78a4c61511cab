using System.Collections.Concurrent;
using System.Text.Json;
using Caisson.Images.Content;

namespace Caisson.Runtime.Sandboxes;

/// <summary>Sandbox records in memory (List and Status are served from here), each change persisted atomically.</summary>
public sealed class SandboxStore
{
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, SandboxRecord> _records = new(StringComparer.Ordinal);

    public SandboxStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(file), SandboxJsonContext.Default.SandboxRecord);
            if (record is not null)
                _records[record.Id] = record;
        }
    }

    public IReadOnlyCollection<SandboxRecord> All => [.. _records.Values];

    public SandboxRecord? Get(string id) => _records.GetValueOrDefault(id);

    public SandboxRecord? FindByKey(string key) => _records.Values.FirstOrDefault(r => r.Key == key);

    /// <summary>Ids by unique prefix, as crictl lets people type them.</summary>
    public SandboxRecord? Find(string idOrPrefix)
    {
        if (_records.TryGetValue(idOrPrefix, out var exact))
            return exact;
        var matches = _records.Values.Where(r => r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    public void Put(SandboxRecord record)
    {
        Durability.WriteAtomic(PathOf(record.Id), JsonSerializer.SerializeToUtf8Bytes(record, SandboxJsonContext.Default.SandboxRecord));
        _records[record.Id] = record;
    }

    public void Delete(string id)
    {
        File.Delete(PathOf(id));
        _records.TryRemove(id, out _);
    }

    private string PathOf(string id) => Path.Combine(_directory, id + ".json");
}
