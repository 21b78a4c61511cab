using Caisson.Core.Configuration;
using Caisson.Core.Errors;
using Caisson.Daemon.Configuration;

namespace Caisson.Tests.Daemon;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void DefaultConfigRoundTripsToTheDefaults()
    {
        var defaults = new CaissonConfig();
        var parsed = ConfigLoader.Parse(DefaultConfigToml.Render(defaults), "default.toml");

        Assert.Equal(defaults.Root, parsed.Root);
        Assert.Equal(defaults.State, parsed.State);
        Assert.Equal(defaults.Images.Snapshotter, parsed.Images.Snapshotter);
        Assert.Equal(defaults.Images.MaxConcurrentDownloads, parsed.Images.MaxConcurrentDownloads);
        Assert.Equal(defaults.Runtime.DefaultRuntime, parsed.Runtime.DefaultRuntime);
        Assert.Equal(defaults.Runtime.Handlers.Keys.Order(), parsed.Runtime.Handlers.Keys.Order());
        Assert.Equal(defaults.Cni.BinDirs, parsed.Cni.BinDirs);
        Assert.Equal("/run/caisson/caisson.sock", parsed.SocketPath);
    }

    [Fact]
    public void ReadsMirrorsAndHosts()
    {
        var config = ConfigLoader.Parse("""
            [registry.mirrors."registry.k8s.io"]
            endpoints = ["http://127.0.0.1:5000", "https://mirror.example:8443/prefix"]
            [registry.hosts."127.0.0.1:5000"]
            plain_http = true
            username = "u"
            password = "p"
            """, "test.toml");

        Assert.Equal(["http://127.0.0.1:5000", "https://mirror.example:8443/prefix"], config.Registry.Mirrors["registry.k8s.io"].Endpoints);
        var host = config.Registry.Hosts["127.0.0.1:5000"];
        Assert.True(host.PlainHttp);
        Assert.False(host.SkipVerify);
        Assert.Equal("u", host.Username);
    }

    [Theory]
    [InlineData("unknown top-level key", "rooot = \"/x\"", "unknown key \"rooot\"")]
    [InlineData("unknown nested key", "[images]\nsnapshoter = \"native\"", "unknown key \"images.snapshoter\"")]
    [InlineData("wrong type", "[images]\nmax_concurrent_downloads = \"three\"", "images.max_concurrent_downloads has the wrong type")]
    [InlineData("out of range", "[images]\nmax_concurrent_downloads = 0", "out of range")]
    [InlineData("bad enum", "[images]\nsnapshotter = \"zfs\"", "not one of: overlayfs, native")]
    [InlineData("bad mirror URL", "[registry.mirrors.\"docker.io\"]\nendpoints = [\"ftp://x\"]", "is not an http(s) URL")]
    [InlineData("invalid TOML", "root = ", "invalid TOML")]
    [InlineData("unknown handler key", "[runtime.handlers.runc]\npathh = \"/x\"", "unknown key \"runtime.handlers.runc.pathh\"")]
    public void RefusesBadConfigWithTheKeyNamed(string description, string toml, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ConfigLoader.Parse(toml, "bad.toml"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.toml", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(description);
    }

    [Fact]
    public void MissingFileIsDefaultsUnlessNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"nope-{Guid.NewGuid():N}.toml");
        Assert.Equal("/var/lib/caisson", ConfigLoader.Load(missing, mustExist: false).Root);
        var error = Assert.Throws<NotFoundException>(() => ConfigLoader.Load(missing, mustExist: true));
        Assert.Contains("caisson config default", error.Message, StringComparison.Ordinal);
    }
}
