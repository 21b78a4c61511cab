using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;

namespace Caisson.Tests.Images.Unpack;

/// <summary>
/// Hostile layers, each unpacked among canaries: whether the unpack succeeds or is refused, nothing outside
/// the root changes (content, mode, owner, mtime, xattrs) and nothing new appears there.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class MaliciousLayerTests
{
    public static TheoryData<string, WhiteoutMode, PathResolution> Cases()
    {
        var data = new TheoryData<string, WhiteoutMode, PathResolution>();
        foreach (var layer in MaliciousLayerCorpus.All)
        {
            foreach (var mode in new[] { WhiteoutMode.Overlay, WhiteoutMode.Apply })
            {
                data.Add(layer.Description, mode, PathResolution.OpenAt2);
                data.Add(layer.Description, mode, PathResolution.ComponentWalk);
            }
        }

        return data;
    }

    /// <summary>openat2(RESOLVE_IN_ROOT), or the walk used where the kernel lacks it: both must hold.</summary>
    public enum PathResolution
    {
        OpenAt2,
        ComponentWalk,
    }

    [Fact]
    public void TheCorpusHasAtLeastThirtyDistinctLayers()
    {
        Assert.True(MaliciousLayerCorpus.All.Count >= 30);
        Assert.Equal(MaliciousLayerCorpus.All.Count, MaliciousLayerCorpus.All.Select(c => c.Description).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task NothingOutsideTheRootChanges(string description, WhiteoutMode mode, PathResolution resolution)
    {
        var layer = MaliciousLayerCorpus.Named(description);
        using var canaries = new CanaryLayout();
        var tar = layer.Build(canaries).Build();
        var before = canaries.Outside();

        Exception? error = null;
        try
        {
            // Gzip, as registries serve layers; the tar bytes are what matter.
            using var fileSystem = RootedFileSystem.Open(canaries.Root, useOpenAt2: resolution == PathResolution.OpenAt2);
            await LayerUnpacker.UnpackAsync(new MemoryStream(TarBuilder.Compress(tar, LayerCompression.Gzip)),
                LayerCompression.Gzip, fileSystem, mode, CancellationToken.None);
        }
        catch (Exception e)
        {
            error = e;
        }

        Assert.Equal(before, canaries.Outside());
        if (layer.RefusalMentions is { } mentions)
        {
            var refusal = Assert.IsAssignableFrom<CaissonException>(error);
            Assert.Contains(mentions, refusal.Message, StringComparison.Ordinal);
            // Named by entry, or by position when the header itself is bad.
            Assert.Matches("^layer (entry \".*\"|archive, header at byte [0-9]+): ", refusal.Message);
        }
        else
        {
            Assert.Null(error);
            layer.CheckInside?.Invoke(canaries, mode);
        }
    }
}
