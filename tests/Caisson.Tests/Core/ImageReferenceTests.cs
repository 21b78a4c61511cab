using Caisson.Core.Errors;
using Caisson.Core.References;

namespace Caisson.Tests.Core;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("official image gets library/ and latest", "busybox", "docker.io/library/busybox:latest")]
    [InlineData("user repository on docker hub", "user/app:1.0", "docker.io/user/app:1.0")]
    [InlineData("index.docker.io is docker.io", "index.docker.io/library/busybox:1", "docker.io/library/busybox:1")]
    [InlineData("registry with port", "localhost:5000/a/b", "localhost:5000/a/b:latest")]
    [InlineData("localhost without port", "localhost/app", "localhost/app:latest")]
    [InlineData("registry.k8s.io keeps its path", "registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10")]
    [InlineData("digest only, no default tag", "busybox@" + Sha, "docker.io/library/busybox@" + Sha)]
    [InlineData("tag and digest", "busybox:1@" + Sha, "docker.io/library/busybox:1@" + Sha)]
    [InlineData("separators in path", "quay.io/a_b/c-d.e__f:v1.2-x", "quay.io/a_b/c-d.e__f:v1.2-x")]
    [InlineData("IPv6 host", "[::1]:5000/img", "[::1]:5000/img:latest")]
    public void Normalizes(string description, string input, string expected)
    {
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Equal(expected, ImageReference.Parse(input).ToString());
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("uppercase repository", "Busybox")]
    [InlineData("uppercase after host", "localhost:5000/Foo")]
    [InlineData("bad tag character", "busybox:a+b")]
    [InlineData("tag starting with dot", "busybox:.x")]
    [InlineData("bad digest", "busybox@sha256:abc")]
    [InlineData("unknown digest algorithm", "busybox@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("whitespace", "busy box")]
    [InlineData("trailing separator", "busybox_")]
    [InlineData("empty path component", "localhost:5000//a")]
    [InlineData("tag over 128 characters", "busybox:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void RefusesInvalid(string description, string input)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(input));
        Assert.Contains("invalid image reference", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public void SplitsParts()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/team/app:v2");
        Assert.Equal("127.0.0.1:5000", reference.Registry);
        Assert.Equal("team/app", reference.Repository);
        Assert.Equal("v2", reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal("v2", reference.ManifestReference);
    }
}
