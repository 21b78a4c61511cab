using System.Text.Json.Serialization;
using Caisson.Runtime.State;

namespace Caisson.Tests.Runtime.State;

public sealed class RecordStoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("caisson-records-");

    public void Dispose() => _directory.Delete(recursive: true);

    private RecordStore<TestRecord> Open() => new(_directory.FullName, TestRecordJsonContext.Default.TestRecord, r => r.Id);

    [Fact]
    public void Update_changes_the_current_record_and_persists_it()
    {
        var store = Open();
        store.Put(new TestRecord("a", 1));

        var updated = store.Update("a", r => r with { Value = r.Value + 1 });

        Assert.Equal(new TestRecord("a", 2), updated);
        Assert.Equal(new TestRecord("a", 2), store.Get("a"));
        Assert.Equal(new TestRecord("a", 2), Open().Get("a"));
    }

    [Fact]
    public void Update_that_declines_changes_nothing()
    {
        var store = Open();
        store.Put(new TestRecord("a", 1));

        Assert.Null(store.Update("a", _ => null));
        Assert.Equal(new TestRecord("a", 1), Open().Get("a"));
    }

    [Fact]
    public void Update_never_brings_back_a_deleted_record()
    {
        var store = Open();
        store.Put(new TestRecord("a", 1));

        Assert.True(store.Delete("a"));
        Assert.False(store.Delete("a"));
        Assert.Null(store.Update("a", r => r with { Value = 9 }));
        Assert.Null(store.Get("a"));
        Assert.Empty(_directory.EnumerateFiles());
    }

    [Fact]
    public async Task Concurrent_updates_each_see_the_previous_ones_result()
    {
        var store = Open();
        store.Put(new TestRecord("a", 0));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.Update("a", r => r with { Value = r.Value + 1 }))));

        Assert.Equal(50, store.Get("a")?.Value);
    }
}

public sealed record TestRecord(string Id, int Value);

[JsonSerializable(typeof(TestRecord))]
internal sealed partial class TestRecordJsonContext : JsonSerializerContext;
