using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Testing;

public sealed class ImageBuilderTests
{
    public static TheoryData<ImageFormat, LayerCompressionKind, string, string, string> Formats => new()
    {
        { ImageFormat.Oci, LayerCompressionKind.Gzip, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayerGzip },
        { ImageFormat.Oci, LayerCompressionKind.Zstd, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayerZstd },
        { ImageFormat.Oci, LayerCompressionKind.None, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayer },
        { ImageFormat.Docker, LayerCompressionKind.Gzip, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.DockerLayerGzip },
        { ImageFormat.Docker, LayerCompressionKind.Zstd, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.OciLayerZstd },
        { ImageFormat.Docker, LayerCompressionKind.None, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.DockerLayer },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Manifest_config_and_layers_agree(ImageFormat format, LayerCompressionKind compression, string manifestType, string configType, string layerType)
    {
        var image = SmallImage(format, compression);

        var document = ManifestDocument.Parse(image.ManifestBytes, image.Descriptor.MediaType);
        Assert.Equal(manifestType, document.MediaType);
        Assert.Equal(Digest.Sha256Of(image.ManifestBytes).ToString(), image.Descriptor.Digest);
        Assert.Equal(image.ManifestBytes.Length, image.Descriptor.Size);

        var manifest = document.Manifest!;
        Assert.Equal(configType, manifest.Config.MediaType);
        Assert.Equal(Digest.Sha256Of(image.ConfigBytes).ToString(), manifest.Config.Digest);
        Assert.Equal(image.ConfigBytes, image.Blobs[image.ConfigDigest]);

        var config = JsonSerializer.Deserialize(image.ConfigBytes, OciJsonContext.Default.ImageConfig)!;
        Assert.Equal(["/bin/sh", "-c", "echo hi"], config.Config!.Cmd);
        Assert.Equal("1000:1000", config.Config.User);
        Assert.Equal("linux", config.OS);
        Assert.Equal("arm64", config.Architecture);
        Assert.Equal("v8", config.Variant);

        Assert.Equal(2, manifest.Layers.Count);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            Assert.Equal(layerType, manifest.Layers[i].MediaType);
            Assert.Equal(Digest.Sha256Of(layer.Compressed).ToString(), manifest.Layers[i].Digest);
            Assert.Equal(layer.Compressed, image.Blobs[layer.Digest]);
            Assert.Equal(layer.UncompressedTar, LayerCompressor.Decompress(layer.Compressed, compression));
            Assert.Equal(Digest.Sha256Of(layer.UncompressedTar).ToString(), config.RootFs.DiffIds[i]);
        }

        Assert.Equal(ChainId.Compute(image.DiffIds), image.ChainIds);
        Assert.Equal(image.DiffIds[0], image.ChainIds[0]);
        Assert.NotEqual(image.DiffIds[1], image.ChainIds[1]);
    }

    [Theory]
    [MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]
    public void Same_description_gives_same_digests(ImageFormat format, LayerCompressionKind compression)
    {
        Assert.Equal(SmallImage(format, compression).ManifestBytes, SmallImage(format, compression).ManifestBytes);
        Assert.NotEqual(SmallImage(format, compression).Digest, SmallImage(format, compression, "amd64", null).Digest);
    }

    [Theory]
    [MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]
    public void Layer_media_types_are_what_core_reads_as_the_same_compression(ImageFormat format, LayerCompressionKind compression)
    {
        Assert.Equal(compression.ToCore(), MediaTypes.LayerCompressionOf(compression.LayerMediaType(format)));
    }

    [Fact]
    public void Pax_header_names_do_not_carry_the_process_id()
    {
        // System.Formats.Tar names extended headers "PaxHeaders.<pid>"; left alone, digests change every run.
        var tar = new LayerBuilder().TextFile("/a", "x").Xattr("/a", "user.k", "v").Build(LayerCompressionKind.None).UncompressedTar;
        var text = Encoding.ASCII.GetString(tar);

        Assert.Contains("PaxHeaders.0/", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"PaxHeaders.{Environment.ProcessId}/", text, StringComparison.Ordinal);
        Assert.Single(TarContents.ReadEntries(tar));
    }

    [Fact]
    public void Layer_entries_are_written_as_described()
    {
        var mtime = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var tar = new LayerBuilder()
            .Directory("/bin", UnixMode.Octal(0750), uid: 3, gid: 4)
            .File("/bin/tool", [1, 2, 3], UnixMode.Octal(4755), uid: 5, gid: 6, mtime: mtime)
            .Symlink("/bin/sh", "tool")
            .Hardlink("/bin/ls", "/bin/tool")
            .CharDevice("/dev/null2", 1, 3)
            .BlockDevice("/dev/loop9", 7, 9)
            .Fifo("/tmp/fifo", UnixMode.Octal(0600))
            .Whiteout("/etc/removed")
            .Whiteout("/top")
            .OpaqueDirectory("/var/cache")
            .Xattr("/bin/tool", "user.note", "x")
            .RawEntry(() => new PaxTarEntry(TarEntryType.RegularFile, "../escape"))
            .Build(LayerCompressionKind.None)
            .UncompressedTar;

        var entries = TarContents.ReadEntries(tar).ToDictionary(e => e.Name);
        Assert.Equal(
            ["bin/", "bin/tool", "bin/sh", "bin/ls", "dev/null2", "dev/loop9", "tmp/fifo", "etc/.wh.removed", ".wh.top", "var/cache/", "var/cache/.wh..wh..opq", "../escape"],
            TarContents.ReadEntries(tar).Select(e => e.Name));

        Assert.Equal((TarEntryType.Directory, UnixMode.Octal(0750), 3, 4), (entries["bin/"].EntryType, entries["bin/"].Mode, entries["bin/"].Uid, entries["bin/"].Gid));
        var tool = (PaxTarEntry)entries["bin/tool"];
        Assert.Equal((UnixMode.Octal(4755), 5, 6, mtime), (tool.Mode, tool.Uid, tool.Gid, tool.ModificationTime));
        Assert.Equal(3, tool.Length);
        Assert.Equal("x", tool.ExtendedAttributes["SCHILY.xattr.user.note"]);
        Assert.Equal(LayerBuilder.DefaultModificationTime, entries["bin/sh"].ModificationTime);
        Assert.Equal((TarEntryType.SymbolicLink, "tool"), (entries["bin/sh"].EntryType, entries["bin/sh"].LinkName));
        Assert.Equal((TarEntryType.HardLink, "bin/tool"), (entries["bin/ls"].EntryType, entries["bin/ls"].LinkName));
        var device = (PaxTarEntry)entries["dev/null2"];
        Assert.Equal((TarEntryType.CharacterDevice, 1, 3), (device.EntryType, device.DeviceMajor, device.DeviceMinor));
        Assert.Equal(TarEntryType.BlockDevice, entries["dev/loop9"].EntryType);
        Assert.Equal((TarEntryType.Fifo, UnixMode.Octal(0600)), (entries["tmp/fifo"].EntryType, entries["tmp/fifo"].Mode));
        Assert.Equal(0, entries["etc/.wh.removed"].Length);
        Assert.Equal(TarEntryType.Directory, entries["var/cache/"].EntryType);
    }

    [Fact]
    public void Xattr_needs_its_entry_first()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LayerBuilder().Xattr("/missing", "user.a", "b"));
        Assert.Contains("user.a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rw-r--r--", 0644, 420)]
    [InlineData("rwxr-xr-x", 0755, 493)]
    [InlineData("sticky /tmp", 1777, 1023)]
    [InlineData("setuid", 4755, 2541)]
    [InlineData("nothing", 0, 0)]
    public void Octal_reads_digits_as_octal(string description, int digits, int expected)
    {
        Assert.NotEmpty(description);
        Assert.Equal((UnixFileMode)expected, UnixMode.Octal(digits));
    }

    [Theory]
    [InlineData("digit 8", 0648)]
    [InlineData("digit 9", 0799)]
    [InlineData("five digits", 10755)]
    [InlineData("negative", -1)]
    public void Octal_refuses_what_is_not_octal(string description, int digits)
    {
        Assert.NotEmpty(description);
        Assert.Throws<ArgumentOutOfRangeException>(() => UnixMode.Octal(digits));
    }

    [Fact]
    public void A_shared_layer_takes_the_media_type_of_each_image()
    {
        var shared = new LayerBuilder().TextFile("/shared", "s").Build(LayerCompressionKind.Gzip);
        var oci = new ImageBuilder().AddLayer(shared).Build();
        var docker = new ImageBuilder().WithMediaTypes(ImageFormat.Docker).AddLayer(shared).Build();

        Assert.Equal(MediaTypes.OciLayerGzip, oci.Manifest.Layers[0].MediaType);
        Assert.Equal(MediaTypes.DockerLayerGzip, docker.Manifest.Layers[0].MediaType);
        Assert.Equal(oci.Layers[0].Digest, docker.Layers[0].Digest);
    }

    [Theory]
    [InlineData(ImageFormat.Oci, MediaTypes.OciIndex)]
    [InlineData(ImageFormat.Docker, MediaTypes.DockerManifestList)]
    public void Index_lists_images_with_their_platforms(ImageFormat format, string mediaType)
    {
        var amd64 = SmallImage(format, LayerCompressionKind.Gzip, "amd64", null);
        var arm64 = SmallImage(format, LayerCompressionKind.Gzip, "arm64", "v8");
        var index = new IndexBuilder().WithMediaTypes(format).Add(amd64).Add(arm64).Add(amd64, platform: null).Build();

        var document = ManifestDocument.Parse(index.Bytes, index.Descriptor.MediaType);
        Assert.Equal(mediaType, document.MediaType);
        Assert.Equal(Digest.Sha256Of(index.Bytes), index.Digest);
        var entries = document.Index!.Manifests;
        Assert.Equal([amd64.Descriptor.Digest, arm64.Descriptor.Digest, amd64.Descriptor.Digest], entries.Select(e => e.Digest));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], entries.Take(2).Select(e => e.Platform!.ToString()));
        Assert.Null(entries[2].Platform);
        Assert.All(index.Images.SelectMany(i => i.Blobs.Keys), digest => Assert.True(index.Blobs.ContainsKey(digest)));
    }

    internal static BuiltImage SmallImage(ImageFormat format, LayerCompressionKind compression, string architecture = "arm64", string? variant = "v8") =>
        new ImageBuilder()
            .WithMediaTypes(format)
            .WithPlatform("linux", architecture, variant)
            .WithConfig(c => c with { Cmd = ["/bin/sh", "-c", "echo hi"], User = "1000:1000", Labels = new Dictionary<string, string> { ["arch"] = architecture } })
            .AddLayer(compression, l => l.Directory("/etc").TextFile("/etc/hello", "hello\n"))
            .AddLayer(compression, l => l.Whiteout("/etc/hello").TextFile("/etc/arch", architecture))
            .Build();
}
