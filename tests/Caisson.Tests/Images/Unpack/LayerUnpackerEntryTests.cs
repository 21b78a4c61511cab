using System.Text;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;

namespace Caisson.Tests.Images.Unpack;

/// <summary>Each entry type lands with its owner, mode, times and allowed xattrs.</summary>
[Trait("Category", "Privileged")]
public sealed class LayerUnpackerEntryTests
{
    private static readonly byte[] Capability = Convert.FromHexString("0100000200200000000000000000000000000000");

    [Theory]
    [InlineData(WhiteoutMode.Overlay)]
    [InlineData(WhiteoutMode.Apply)]
    public async Task EveryEntryTypeWithOwnerModeAndTimes(WhiteoutMode mode)
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder()
            .Directory("usr/", "755", 0, 0, 1_600_000_000)
            .Directory("usr/bin/", "750", 10, 20, 1_600_000_001)
            .File("usr/bin/su", "binary", "4755", 0, 0, 1_600_000_002)
            .File("usr/bin/wall", "wall", "2711", 0, 5, 1_600_000_003)
            .Directory("tmp/", "1777", 0, 0, 1_600_000_004)
            .File("home/user/notes", "text", "600", 1000, 1000, 1_600_000_005)
            .Symlink("usr/bin/sh", "/bin/busybox", 7, 8, 1_600_000_006)
            .HardLink("usr/bin/su-again", "usr/bin/su")
            .Device("dev/null", '3', 1, 3, "666", 0, 0)
            .Device("dev/sda", '4', 8, 0, "660", 0, 6)
            .Device("dev/big", '3', 4095, 1048575)
            .Fifo("run/fifo", "620")
            .Build();

        await scratch.UnpackAsync(tar, mode);

        AssertEntry(scratch["usr"], FileKind.Directory, "755", 0, 0, 1_600_000_000);
        AssertEntry(scratch["usr/bin"], FileKind.Directory, "750", 10, 20, 1_600_000_001);
        AssertEntry(scratch["usr/bin/su"], FileKind.Regular, "4755", 0, 0, 1_600_000_002);
        AssertEntry(scratch["usr/bin/wall"], FileKind.Regular, "2711", 0, 5, 1_600_000_003);
        AssertEntry(scratch["tmp"], FileKind.Directory, "1777", 0, 0, 1_600_000_004);
        AssertEntry(scratch["home/user/notes"], FileKind.Regular, "600", 1000, 1000, 1_600_000_005);
        AssertEntry(scratch["usr/bin/sh"], FileKind.SymbolicLink, "777", 7, 8, 1_600_000_006);
        Assert.Equal("binary", File.ReadAllText(scratch["usr/bin/su"]));
        Assert.Equal("/bin/busybox", new FileInfo(scratch["usr/bin/sh"]).LinkTarget);

        var su = FileInspector.Lstat(scratch["usr/bin/su"]);
        var link = FileInspector.Lstat(scratch["usr/bin/su-again"]);
        Assert.Equal(su.Inode, link.Inode);
        Assert.Equal(2u, su.LinkCount);

        var null_ = FileInspector.Lstat(scratch["dev/null"]);
        Assert.Equal((FileKind.CharacterDevice, 1u, 3u, TarBuilder.Octal("666")), (null_.Kind, null_.DeviceMajor, null_.DeviceMinor, null_.Permissions));
        var sda = FileInspector.Lstat(scratch["dev/sda"]);
        Assert.Equal((FileKind.BlockDevice, 8u, 0u, 6u), (sda.Kind, sda.DeviceMajor, sda.DeviceMinor, sda.Gid));
        var big = FileInspector.Lstat(scratch["dev/big"]);
        Assert.Equal((4095u, 1048575u), (big.DeviceMajor, big.DeviceMinor));
        var fifo = FileInspector.Lstat(scratch["run/fifo"]);
        Assert.Equal((FileKind.Fifo, TarBuilder.Octal("620")), (fifo.Kind, fifo.Permissions));

        // Parents the tar never listed are made 0755 and owned by root.
        AssertEntry(scratch["home"], FileKind.Directory, "755", 0, 0, mtime: null);
        AssertEntry(scratch["run"], FileKind.Directory, "755", 0, 0, mtime: null);
    }

    [Fact]
    public async Task NanosecondTimesAndDirectoryTimesSurviveTheirContents()
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder()
            .Directory("d/", mtime: 1_500_000_000)
            .Pax(("mtime", "1500000001.123456789"), ("atime", "1500000002.5"))
            .Header(new TarHeader { Name = "d/precise"u8.ToArray(), Mode = TarBuilder.Octal("644") }, "x"u8)
            .File("d/later", "written after the directory entry", mtime: 1_500_000_003)
            .Directory("d/sub/", mtime: 1_500_000_004)
            .File("d/sub/deep", "deep", mtime: 1_500_000_005)
            .Build();

        await scratch.UnpackAsync(tar);

        var precise = FileInspector.Lstat(scratch["d/precise"]);
        Assert.Equal(new UnixTimestamp(1_500_000_001, 123_456_789), precise.ModificationTime);
        Assert.Equal(new UnixTimestamp(1_500_000_000, 0), FileInspector.Lstat(scratch["d"]).ModificationTime);
        Assert.Equal(new UnixTimestamp(1_500_000_004, 0), FileInspector.Lstat(scratch["d/sub"]).ModificationTime);
        Assert.Equal(new UnixTimestamp(1_500_000_005, 0), FileInspector.Lstat(scratch["d/sub/deep"]).ModificationTime);
    }

    [Fact]
    public async Task UserXattrsAndCapabilitiesAreAppliedOtherNamespacesDropped()
    {
        using var scratch = new UnpackScratch();
        var binaryValue = new byte[] { 0, 0xff, 0x80, 0, 7 };
        var tar = new TarBuilder()
            .File("bin/ping", "ping", "755", 0, 0, TarBuilder.DefaultTime,
                ("security.capability", Capability), ("user.binary", binaryValue), ("trusted.overlay.opaque", "y"u8.ToArray()),
                ("trusted.other", "x"u8.ToArray()), ("security.selinux", "system_u:object_r:bin_t:s0"u8.ToArray()))
            .Directory("etc/", "755", 0, 0, TarBuilder.DefaultTime,
                ("user.dir", "on a directory"u8.ToArray()), ("trusted.overlay.redirect", "/elsewhere"u8.ToArray()))
            .Fifo("etc/fifo")
            .Build();

        await scratch.UnpackAsync(tar);

        Assert.Equal(Capability, FileInspector.GetXattr(scratch["bin/ping"], "security.capability"));
        Assert.Equal(binaryValue, FileInspector.GetXattr(scratch["bin/ping"], "user.binary"));
        Assert.Equal(["security.capability", "user.binary"], FileInspector.ListXattrs(scratch["bin/ping"]));
        Assert.Equal("on a directory"u8.ToArray(), FileInspector.GetXattr(scratch["etc"], "user.dir"));
        Assert.Null(FileInspector.GetXattr(scratch["etc"], "trusted.overlay.redirect"));
    }

    [Theory]
    [InlineData("PAX path and linkpath")]
    [InlineData("GNU long name and long link")]
    [InlineData("ustar prefix field")]
    public async Task LongNames(string format)
    {
        using var scratch = new UnpackScratch();
        var directory = string.Join('/', Enumerable.Range(0, 12).Select(i => $"directory-{i:D2}"));
        var fileName = directory + "/" + new string('f', 200);
        var builder = new TarBuilder();
        switch (format)
        {
            case "PAX path and linkpath":
                builder.File(fileName, "long").Symlink(fileName + "-symlink", "/" + fileName).HardLink(fileName + "-hardlink", fileName);
                break;
            case "GNU long name and long link":
                builder.Gnu('L', fileName).Header(new TarHeader { Name = "truncated"u8.ToArray() }, "long"u8)
                    .Gnu('L', fileName + "-symlink").Gnu('K', "/" + fileName)
                    .Header(new TarHeader { Name = "truncated-symlink"u8.ToArray(), Type = '2' })
                    .Gnu('L', fileName + "-hardlink").Gnu('K', fileName)
                    .Header(new TarHeader { Name = "truncated-hardlink"u8.ToArray(), Type = '1' });
                break;
            default:
                fileName = directory + "/file";
                var split = fileName.LastIndexOf('/', 150);
                builder.Header(new TarHeader
                {
                    Prefix = Encoding.UTF8.GetBytes(fileName[..split]), Name = Encoding.UTF8.GetBytes(fileName[(split + 1)..]),
                }, "long"u8);
                builder.Symlink(fileName + "-symlink", "/" + fileName).HardLink(fileName + "-hardlink", fileName);
                break;
        }

        await scratch.UnpackAsync(builder.Build());

        Assert.Equal("long", File.ReadAllText(scratch[fileName]));
        Assert.Equal("/" + fileName, new FileInfo(scratch[fileName + "-symlink"]).LinkTarget);
        Assert.Equal(FileInspector.Lstat(scratch[fileName]).Inode, FileInspector.Lstat(scratch[fileName + "-hardlink"]).Inode);
        Assert.False(FileInspector.Exists(scratch["truncated"]));
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task EveryCompressionGivesTheSameTreeAndTheDiffIdOfTheRawTar(LayerCompression compression)
    {
        using var scratch = new UnpackScratch();
        var random = new Random(42);
        var big = new byte[(3 << 20) + 17]; // spans several reader buffers, ends off a block boundary
        random.NextBytes(big);
        var builder = new TarBuilder().Directory("data/").File("data/big", big, "640", 3, 4).Directory("data/small/");
        for (var i = 0; i < 300; i++)
            builder.File($"data/small/{i:D3}", $"file number {i}");
        var tar = builder.Build(trailingZeros: 9 * 512); // GNU tar pads to a 10 KiB record; the DiffId covers it

        var result = await scratch.UnpackAsync(tar, WhiteoutMode.Overlay, compression);

        Assert.Equal(Caisson.Core.Digests.Digest.Sha256Of(tar), result.DiffId);
        Assert.Equal(tar.Length, result.UncompressedSize);
        Assert.Equal(303, result.EntryCount);
        Assert.Equal(big, File.ReadAllBytes(scratch["data/big"]));
        Assert.Equal("file number 299", File.ReadAllText(scratch["data/small/299"]));
        var reference = new UnpackScratch();
        using (reference)
        {
            await reference.UnpackAsync(tar);
            var expected = FileInspector.Snapshot(reference.Root);
            var actual = FileInspector.Snapshot(scratch.Root);
            expected.Remove("");
            actual.Remove("");
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData("not compressed at all", LayerCompression.Gzip)]
    [InlineData("not compressed at all", LayerCompression.Zstd)]
    public async Task CorruptCompressedDataIsRefused(string content, LayerCompression compression)
    {
        using var scratch = new UnpackScratch();
        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => LayerUnpacker.UnpackAsync(
            new MemoryStream(Encoding.ASCII.GetBytes(content)), compression, scratch.Root, WhiteoutMode.Overlay, CancellationToken.None));
        Assert.Contains($"not valid {compression}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("archive cut inside a file's data")]
    [InlineData("archive cut inside a header")]
    [InlineData("header checksum wrong")]
    [InlineData("octal field with garbage")]
    [InlineData("a header after a single end-of-archive block")]
    [InlineData("an extended header with no entry after it")]
    public async Task BrokenArchivesAreRefused(string description)
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder().File("a", new byte[2000]).Build(endOfArchive: false);
        tar = description switch
        {
            "archive cut inside a file's data" => tar[..1200],
            "archive cut inside a header" => tar[..300],
            "header checksum wrong" => new TarBuilder().Header(new TarHeader { Name = "a"u8.ToArray(), Checksum = 1234 }).Build(),
            "a header after a single end-of-archive block" => [.. tar, .. new byte[512], .. new TarBuilder().File("hidden", "x").Build()],
            "an extended header with no entry after it" => new TarBuilder().Pax(("path", "x")).Build(),
            _ => new TarBuilder().Header(new TarHeader { Name = "a"u8.ToArray(), Mode = 0 }).Build(),
        };
        if (description == "octal field with garbage")
        {
            "9x9"u8.CopyTo(tar.AsSpan(100));
            FixChecksum(tar);
        }

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => scratch.UnpackAsync(tar));
        Assert.Contains("tar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldStyleEntriesAndDataAfterTheEndOfTheArchive()
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder()
            .Header(new TarHeader { Name = "v7-dir/"u8.ToArray(), Type = '\0', Magic = new byte[8] })
            .Pax(("path", "pax-named-dir/"))
            .Header(new TarHeader { Name = "ignored"u8.ToArray(), Type = '\0' })
            .Header(new TarHeader { Name = "v7-file"u8.ToArray(), Type = '\0', Magic = new byte[8] }, "v7"u8)
            .Header(new TarHeader { Name = "contiguous"u8.ToArray(), Type = '7' }, "c"u8)
            .Build();
        var withTrailer = tar.Concat("not a tar, but covered by the DiffId"u8.ToArray()).ToArray();

        var result = await scratch.UnpackAsync(withTrailer);

        Assert.Equal(FileKind.Directory, FileInspector.Lstat(scratch["v7-dir"]).Kind);
        Assert.Equal(FileKind.Directory, FileInspector.Lstat(scratch["pax-named-dir"]).Kind);
        Assert.Equal("v7", File.ReadAllText(scratch["v7-file"]));
        Assert.Equal("c", File.ReadAllText(scratch["contiguous"]));
        Assert.Equal(Caisson.Core.Digests.Digest.Sha256Of(withTrailer), result.DiffId);
    }

    [Fact]
    public async Task TheRootEntryIsIgnoredAndAMissingEndOfArchiveTolerated()
    {
        using var scratch = new UnpackScratch();
        FileInspector.Chmod(scratch.Root, "711");
        var tar = new TarBuilder().Directory("./", "777", 55, 55).File("./a", "a").Build(endOfArchive: false);

        var result = await scratch.UnpackAsync(tar);

        Assert.Equal(2, result.EntryCount);
        Assert.Equal(TarBuilder.Octal("711"), FileInspector.Lstat(scratch.Root).Permissions);
        Assert.Equal(0u, FileInspector.Lstat(scratch.Root).Uid);
        Assert.Equal("a", File.ReadAllText(scratch["a"]));
    }

    internal static void FixChecksum(byte[] tar)
    {
        tar.AsSpan(148, 8).Fill((byte)' ');
        var sum = tar.AsSpan(0, 512).ToArray().Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
    }

    private static void AssertEntry(string path, FileKind kind, string mode, uint uid, uint gid, long? mtime)
    {
        var status = FileInspector.Lstat(path);
        Assert.Equal(kind, status.Kind);
        if (kind != FileKind.SymbolicLink)
            Assert.Equal(mode, Convert.ToString(status.Permissions, 8));
        Assert.Equal((uid, gid), (status.Uid, status.Gid));
        if (mtime is { } seconds)
            Assert.Equal(new UnixTimestamp(seconds, 0), status.ModificationTime);
    }
}
