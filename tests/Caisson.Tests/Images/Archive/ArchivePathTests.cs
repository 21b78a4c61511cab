using Caisson.Core.Errors;
using Caisson.Images.Archive;

namespace Caisson.Tests.Images.Archive;

public sealed class ArchivePathTests
{
    [Theory]
    [InlineData("plain name", "manifest.json", "manifest.json")]
    [InlineData("leading ./ as GNU tar writes it", "./blobs/sha256/abc", "blobs/sha256/abc")]
    [InlineData("directory with trailing slash", "blobs/", "blobs")]
    [InlineData("doubled and dot components", "a//./b", "a/b")]
    public void NormalizesNames(string description, string name, string expected)
    {
        Assert.Equal(expected, ArchivePath.Normalize(name, "entry"));
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Theory]
    [InlineData("sibling layer, as docker save links shared layers", "b/layer.tar", "../a/layer.tar", "a/layer.tar")]
    [InlineData("same directory", "a/link", "target", "a/target")]
    [InlineData("down and up again within the archive", "a/b/link", "../../c/./d", "c/d")]
    public void ResolvesLinksInsideTheArchive(string description, string link, string target, string expected)
    {
        Assert.Equal(expected, ArchivePath.ResolveLink(link, target));
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Theory]
    [InlineData("climbs above the root", "a/link", "../../etc/passwd", "points outside the archive")]
    [InlineData("absolute", "link", "/etc/passwd", "absolute target")]
    [InlineData("the root itself", "a/link", "..", "is the archive root")]
    [InlineData("empty", "link", "", "empty link target")]
    public void RefusesLinksLeavingTheArchive(string description, string link, string target, string message)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ArchivePath.ResolveLink(link, target));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Theory]
    [InlineData("blobs/sha256/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("blobs/sha256/short", false)]
    [InlineData("other/sha256/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("blobs/sha256/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/x", false)]
    public void RecognizesBlobNames(string name, bool isBlob) =>
        Assert.Equal(isBlob, ArchivePath.DigestOfBlobName(name) is not null);
}
