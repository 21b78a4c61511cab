using System.Formats.Tar;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>What caisson save writes, caisson load reads back, through either view of the archive.</summary>
public sealed class RoundTripTests
{
    private static readonly BuiltImage App = SaveTests.App;
    private static readonly BuiltImage Tool = SaveTests.Tool;

    [Theory]
    [InlineData("both views, as docker 25 and caisson read it", true, true)]
    [InlineData("manifest.json only, as older docker reads it", true, false)]
    [InlineData("index.json only, as OCI tools read it", false, true)]
    public async Task SavedImagesLoadIntoAFreshStore(string description, bool dockerView, bool ociView)
    {
        using var source = new ArchiveTestStore();
        await source.SeedAsync(App, "app:1");
        await source.SeedAsync(App, "localhost:5000/team/app:2");
        await source.SeedAsync(Tool, "tool:latest");
        var saved = await SaveTests.SaveAsync(source, "app:1", "localhost:5000/team/app:2", "tool:latest");

        using var target = new ArchiveTestStore();
        var loaded = await target.LoadAsync(Without(saved, dockerView ? [] : ["manifest.json", "repositories"], ociView ? [] : ["index.json", "oci-layout"]));

        Assert.Equal(["docker.io/library/app:1", "localhost:5000/team/app:2", "docker.io/library/tool:latest"], loaded);
        foreach (var (image, name) in new[] { (App, "app:1"), (App, "localhost:5000/team/app:2"), (Tool, "tool:latest") })
        {
            var view = target.Images.Get(name);
            Assert.Equal(image.ConfigDigest, view.Id);
            // Layers come back byte for byte; the manifest too when the OCI view is read (docker's view has none).
            Assert.Equal(image.Layers.Select(l => l.Digest.ToString()), view.Details.Manifest.Layers.Select(l => l.Digest));
            if (ociView)
                Assert.Equal(image.Digest, view.Details.ManifestDigest);
            Assert.True(target.Images.Snapshotter.IsCommitted(image.ChainIds[^1]));
        }

        Assert.Equal(2, target.Images.List().Count);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task LoadedImageSavesAgainToTheSameArchive()
    {
        using var first = new ArchiveTestStore();
        await first.SeedAsync(App, "app:1");
        var saved = await SaveTests.SaveAsync(first, "app:1");

        using var second = new ArchiveTestStore();
        await second.LoadAsync(saved);

        Assert.Equal(saved, await SaveTests.SaveAsync(second, "app:1"));
    }

    /// <summary>The tar without the named top-level files.</summary>
    private static byte[] Without(byte[] tar, params string[][] names)
    {
        var drop = names.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        using var output = new MemoryStream();
        using (var reader = new TarReader(new MemoryStream(tar)))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (!drop.Contains(entry.Name))
                    writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }
}
