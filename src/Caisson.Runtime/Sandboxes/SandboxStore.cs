using Caisson.Runtime.State;

namespace Caisson.Runtime.Sandboxes;

/// <summary>Sandbox records, found also by their name key (for retried RunPodSandbox calls).</summary>
public sealed class SandboxStore(string directory)
{
    private readonly RecordStore<SandboxRecord> _records = new(directory, SandboxJsonContext.Default.SandboxRecord, r => r.Id);

    public IReadOnlyCollection<SandboxRecord> All => _records.All;

    public SandboxRecord? Get(string id) => _records.Get(id);

    public SandboxRecord? Find(string idOrPrefix) => _records.Find(idOrPrefix);

    public SandboxRecord? FindByKey(string key) => _records.All.FirstOrDefault(r => r.Key == key);

    public void Put(SandboxRecord record) => _records.Put(record);

    /// <summary>Changes a record under the store's lock; <paramref name="change"/> returns null to leave it as it is.</summary>
    public SandboxRecord? Update(string id, Func<SandboxRecord, SandboxRecord?> change) => _records.Update(id, change);

    public bool Delete(string id) => _records.Delete(id);
}
