using Caisson.Api.Cri;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Tests.Cli.Containers;

public sealed class VolumeBindingTests
{
    [Theory]
    [InlineData("absolute host path", "/srv/data:/data", "/srv/data -> /data rw PropagationPrivate")]
    [InlineData("read-only", "/srv/data:/data:ro", "/srv/data -> /data ro PropagationPrivate")]
    [InlineData("read-write said out loud", "/srv/data:/data:rw", "/srv/data -> /data rw PropagationPrivate")]
    [InlineData("relative to the current directory", "./site:/usr/share/html:ro", "/home/me/site -> /usr/share/html ro PropagationPrivate")]
    [InlineData("parent directory", "../shared:/shared", "/home/shared -> /shared rw PropagationPrivate")]
    [InlineData("propagation", "/mnt:/mnt:rslave", "/mnt -> /mnt rw PropagationHostToContainer")]
    [InlineData("several options", "/mnt:/mnt:ro,rshared,z", "/mnt -> /mnt ro PropagationBidirectional relabel")]
    [InlineData("a trailing slash stays as written", "/srv/data/:/data", "/srv/data/ -> /data rw PropagationPrivate")]
    public void Parses(string description, string value, string expected)
    {
        var mount = VolumeBinding.Parse(value, "/home/me");

        var text = $"{mount.HostPath} -> {mount.ContainerPath} {(mount.Readonly ? "ro" : "rw")} {mount.Propagation}{(mount.SelinuxRelabel ? " relabel" : "")}";
        Assert.True(text == expected, $"{description}: got {text}");
    }

    [Theory]
    [InlineData("anonymous volume", "/data", "-v /data: want HOST_PATH:CONTAINER_PATH[:ro]")]
    [InlineData("named volume", "pgdata:/var/lib/postgresql", "-v pgdata:/var/lib/postgresql: \"pgdata\" would be a named volume, which caisson does not have; give a host path (/srv/data or ./data)")]
    [InlineData("relative container path", "/srv:data", "-v /srv:data: the container path \"data\" must be absolute")]
    [InlineData("unknown option", "/srv:/data:rx", "-v /srv:/data:rx: unknown or repeated option \"rx\"; use ro or rw, one of private, rslave, rshared, and z")]
    [InlineData("both ro and rw", "/srv:/data:ro,rw", "-v /srv:/data:ro,rw: unknown or repeated option \"rw\"; use ro or rw, one of private, rslave, rshared, and z")]
    [InlineData("too many colons", "/a:/b:ro:x", "-v /a:/b:ro:x: want HOST_PATH:CONTAINER_PATH[:ro]")]
    [InlineData("empty host path", ":/data", "-v :/data: want HOST_PATH:CONTAINER_PATH[:ro]")]
    public void RefusesWithTheReason(string description, string value, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => VolumeBinding.Parse(value, "/home/me"));

        Assert.True(error.Message == expected, $"{description}: got {error.Message}");
    }

    [Fact]
    public void ABindMountIsPrivateUnlessAsked()
    {
        Assert.Equal(MountPropagation.PropagationPrivate, VolumeBinding.Parse("/a:/b", "/").Propagation);
    }
}
