using Caisson.Core.Digests;
using Caisson.Images.Metadata;
using Microsoft.Extensions.Time.Testing;

namespace Caisson.Tests.Images.Metadata;

public sealed class MetadataStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("caisson-meta-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static Digest D(char c) => Digest.Parse("sha256:" + new string(c, 64));

    private static ImageRecord Record(string name, char config) =>
        new(name, D('a'), "application/vnd.oci.image.index.v1+json", 123, D('b'), D(config), default, default);

    [Fact]
    public void PutsListsAndRepointsNames()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var store = new MetadataStore(Path.Combine(_root, "metadata.db"), time);
        store.PutImages([Record("docker.io/library/busybox:latest", 'c'), Record("docker.io/library/busybox:1", 'c')]);
        time.Advance(TimeSpan.FromMinutes(5));
        store.PutImages([Record("docker.io/library/busybox:latest", 'd')]);

        var images = store.ListImages();
        Assert.Equal(2, images.Count);
        var latest = store.GetImage("docker.io/library/busybox:latest")!;
        Assert.Equal(D('d'), latest.ConfigDigest);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromMinutes(5), latest.CreatedAt);
        Assert.Equal(time.GetUtcNow(), latest.UpdatedAt);

        Assert.True(store.DeleteImage("docker.io/library/busybox:1"));
        Assert.False(store.DeleteImage("docker.io/library/busybox:1"));
        Assert.Single(store.ListImages());
    }

    [Fact]
    public void SurvivesReopen()
    {
        var path = Path.Combine(_root, "metadata.db");
        using (var store = new MetadataStore(path))
        {
            store.PutImages([Record("docker.io/library/a:1", 'c')]);
            store.PutContent(D('e').ToString(), 5, "application/octet-stream");
            store.PutSnapshot(D('f').ToString(), null, "committed");
        }

        using var reopened = new MetadataStore(path);
        Assert.NotNull(reopened.GetImage("docker.io/library/a:1"));
        Assert.Equal(5, reopened.ListContent()[D('e').ToString()].Size);
        Assert.Equal(D('f').ToString(), Assert.Single(reopened.ListSnapshots()).Key);
    }

    [Fact]
    public void LeasesProtectUntilTheyExpire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(50));
        using var store = new MetadataStore(Path.Combine(_root, "metadata.db"), time);
        store.CreateLease("pull-1", TimeSpan.FromHours(1));
        store.AddLeaseResource("pull-1", LeaseResourceKind.Content, D('a').ToString());
        store.AddLeaseResource("pull-1", LeaseResourceKind.Snapshot, D('b').ToString());

        Assert.Equal(2, store.LeasedResources().Count);
        Assert.Equal(0, store.PruneExpiredLeases());

        time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(store.LeasedResources());
        Assert.Equal(1, store.PruneExpiredLeases());
    }

    [Fact]
    public void DeletingALeaseReleasesItsResources()
    {
        using var store = new MetadataStore(Path.Combine(_root, "metadata.db"));
        store.CreateLease("pull-2", TimeSpan.FromHours(1));
        store.AddLeaseResource("pull-2", LeaseResourceKind.Content, D('a').ToString());
        store.DeleteLease("pull-2");
        Assert.Empty(store.LeasedResources());
    }
}
