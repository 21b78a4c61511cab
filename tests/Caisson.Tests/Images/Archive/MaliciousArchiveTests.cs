using System.Formats.Tar;
using Caisson.Core.Errors;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>
/// Archives that lie or try to escape are refused with an error that names the problem, and leave the store as it
/// was: no image, no staging files, nothing outside the root, and no blob that the next collection keeps.
/// </summary>
public sealed class MaliciousArchiveTests
{
    private static readonly BuiltLayer Layer = ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/etc/hostname", "evil\n"), ("/bin/sh", "#!fake\n"));
    private static readonly BuiltImage Image = ArchiveImages.Image("evil", [Layer]);

    private static readonly Dictionary<string, Func<byte[]>> Archives = new(StringComparer.Ordinal)
    {
        ["entry name climbing out with .."] = () => new TarBuilder().File("../escaped", "x").ToArray(),
        ["entry name climbing out after a directory"] = () => new TarBuilder().File("blobs/../../escaped", "x").ToArray(),
        ["absolute entry name"] = () => new TarBuilder().File("/tmp/escaped", "x").ToArray(),
        ["symbolic link leaving the archive"] = () => new DockerSaveBuilder().Add(Image, "evil:1").Build()
            .Symlink("sneaky/layer.tar", "../../../etc/passwd").ToArray(),
        ["absolute symbolic link"] = () => new TarBuilder().Symlink("layer.tar", "/etc/shadow").ToArray(),
        ["hard link leaving the archive"] = () => new TarBuilder().Entry(TarEntryType.HardLink, "layer.tar", "../outside").ToArray(),
        ["character device"] = () => new TarBuilder().Entry(TarEntryType.CharacterDevice, "dev/null").ToArray(),
        ["fifo"] = () => new TarBuilder().Entry(TarEntryType.Fifo, "pipe").ToArray(),
        ["the same name twice"] = () => new TarBuilder().File("manifest.json", "[]").File("./manifest.json", "[]").ToArray(),
        ["not a tar at all"] = () => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 3)).ToArray(),
        ["empty archive"] = () => new byte[1024],
        ["truncated in the middle of a file"] = () => new DockerSaveBuilder().Add(Image, "evil:1").Build().ToArray()[..1700],
        ["neither manifest.json nor index.json"] = () => new TarBuilder().File("README", "hello").ToArray(),
        ["blob content not matching its name"] = () => new TarBuilder()
            .File("blobs/sha256/" + new string('a', 64), "not what the name says").ToArray(),
        ["manifest.json naming a missing layer"] = () => new DockerSaveBuilder().Add(Image, "evil:1")
            .Build(m => System.Text.RegularExpressions.Regex.Replace(m, "\"[0-9a-f]{64}/layer.tar\"", "\"missing/layer.tar\"")).ToArray(),
        ["manifest.json naming a missing config"] = () => new DockerSaveBuilder().Add(Image, "evil:1")
            .Build(m => m.Replace($"{Image.ConfigDigest.Hex}.json", "nowhere.json", StringComparison.Ordinal)).ToArray(),
        ["manifest.json pointing outside"] = () => new DockerSaveBuilder().Add(Image, "evil:1")
            .Build(m => m.Replace($"{Image.ConfigDigest.Hex}.json", "../../etc/passwd", StringComparison.Ordinal)).ToArray(),
        ["oversized manifest.json"] = () => new TarBuilder().File("manifest.json", "[" + new string(' ', 5 << 20) + "]").ToArray(),
        ["manifest.json that is not JSON"] = () => new TarBuilder().File("manifest.json", "{{{").ToArray(),
        ["invalid RepoTag"] = () => new DockerSaveBuilder().Add(Image, "Evil:Tag!").Build().ToArray(),
        ["config listing more diff ids than layers"] = () => new DockerSaveBuilder().Add(ArchiveImages.Image("x", [Layer]), "evil:1")
            .Build(m => m.Replace("\"Layers\":[", "\"Layers\":[],\"Ignored\":[", StringComparison.Ordinal)).ToArray(),
        ["index.json without oci-layout"] = () => new TarBuilder().File("index.json", """{"schemaVersion":2,"manifests":[]}""").ToArray(),
        ["OCI layout missing a layer"] = () =>
        {
            var layout = new OciLayoutBuilder();
            layout.Name(layout.Image(Image, withLayers: false), "io.containerd.image.name=evil:1");
            return layout.Build().ToArray();
        },
        ["descriptor size not matching the blob"] = () =>
        {
            var layout = new OciLayoutBuilder();
            var manifest = layout.Image(Image);
            layout.Name(manifest with { Size = manifest.Size + 1 }, "io.containerd.image.name=evil:1");
            return layout.Build().ToArray();
        },
        ["descriptor naming a blob larger than a document may be"] = () =>
        {
            var layout = new OciLayoutBuilder();
            var manifest = layout.Image(Image);
            layout.Name(manifest with { Size = 64 << 20 }, "io.containerd.image.name=evil:1");
            return layout.Build().ToArray();
        },
    };

    [Theory]
    [InlineData("entry name climbing out with ..", "\"..\" leaves the archive")]
    [InlineData("entry name climbing out after a directory", "\"..\" leaves the archive")]
    [InlineData("absolute entry name", "absolute path")]
    [InlineData("symbolic link leaving the archive", "points outside the archive")]
    [InlineData("absolute symbolic link", "points outside the archive")]
    [InlineData("hard link leaving the archive", "\"..\" leaves the archive")]
    [InlineData("character device", "it is a CharacterDevice")]
    [InlineData("fifo", "it is a Fifo")]
    [InlineData("the same name twice", "the archive has it twice")]
    [InlineData("not a tar at all", "not a valid tar file")]
    [InlineData("empty archive", "the archive is empty")]
    [InlineData("truncated in the middle of a file", "not a valid tar file")]
    [InlineData("neither manifest.json nor index.json", "has neither manifest.json (docker save) nor index.json")]
    [InlineData("blob content not matching its name", "not the digest its name gives")]
    [InlineData("manifest.json naming a missing layer", "names Layers file \"missing/layer.tar\", which is not in the archive")]
    [InlineData("manifest.json naming a missing config", "names Config file \"nowhere.json\", which is not in the archive")]
    [InlineData("manifest.json pointing outside", "\"..\" leaves the archive")]
    [InlineData("oversized manifest.json", "manifest.json in the archive is 5242882 bytes, over the 4194304-byte limit")]
    [InlineData("manifest.json that is not JSON", "manifest.json in the archive is not valid")]
    [InlineData("invalid RepoTag", "manifest.json entry 0: RepoTag: invalid image reference \"Evil:Tag!\"")]
    [InlineData("config listing more diff ids than layers", "has 0 layers but its config")]
    [InlineData("index.json without oci-layout", "no oci-layout file")]
    [InlineData("OCI layout missing a layer", "is missing from the archive")]
    [InlineData("descriptor size not matching the blob", "the descriptor says")]
    [InlineData("descriptor naming a blob larger than a document may be", "over the 4194304-byte limit")]
    public async Task IsRefusedAndLeavesTheStoreAsItWas(string description, string expectedMessage)
    {
        using var store = new ArchiveTestStore();

        var error = await Assert.ThrowsAsync<CaissonException>(() => store.LoadAsync(Archives[description]()));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("loading image archive: ", error.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(store);
    }

    [Fact]
    public async Task MultiPlatformIndexWithoutThisPlatformIsRefusedAsNotFound()
    {
        using var store = new ArchiveTestStore();
        var layout = new OciLayoutBuilder();
        var foreign = ArchiveImages.Image("foreign", [Layer], architecture: "mips64le");
        layout.Name(layout.Index(layout.Image(foreign)), "io.containerd.image.name=foreign:1");

        var error = await Assert.ThrowsAsync<CaissonException>(() => store.LoadAsync(layout.Build().ToArray()));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("no manifest for platform linux/", error.Message, StringComparison.Ordinal);
        Assert.Contains("it has linux/mips64le", error.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(store);
    }

    [Fact]
    public async Task CanceledLoadRemovesItsStaging()
    {
        using var store = new ArchiveTestStore();
        using var cancel = new CancellationTokenSource();
        var archive = new DockerSaveBuilder().Add(Image, "evil:1").Build().ToArray();
        var stream = new CancelingStream(archive, cancelAfter: archive.Length / 2, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Images.LoadAsync(stream, cancel.Token));

        await AssertUntouchedAsync(store);
    }

    [Fact]
    public async Task StagingLeftByACrashIsRemovedByTheNextLoad()
    {
        using var store = new ArchiveTestStore();
        var abandoned = Path.Combine(store.Root, "tmp", "load-0123456789abcdef");
        Directory.CreateDirectory(abandoned);
        await File.WriteAllTextAsync(Path.Combine(abandoned, "1"), "half a layer");

        await Assert.ThrowsAnyAsync<CaissonException>(() => store.LoadAsync(new TarBuilder().File("README", "x").ToArray()));

        Assert.False(Directory.Exists(abandoned));
        await AssertUntouchedAsync(store);
    }

    internal static async Task AssertUntouchedAsync(ArchiveTestStore store)
    {
        Assert.Empty(store.Images.List());
        Assert.Empty(store.StagedFiles());
        Assert.Empty(store.FilesOutsideRoot());
        await store.Images.CollectGarbageAsync(CancellationToken.None);
        Assert.Empty(store.Images.Content.List());
        Assert.Empty(store.Images.Snapshotter.ListCommitted());
    }

    /// <summary>Cancels its token once a given number of bytes have been read, as a client hanging up would.</summary>
    private sealed class CancelingStream(byte[] data, int cancelAfter, CancellationTokenSource cancel) : MemoryStream(data, writable: false)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAfter)
                await cancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
        }
    }
}
