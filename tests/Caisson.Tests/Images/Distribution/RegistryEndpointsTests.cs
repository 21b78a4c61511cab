using Caisson.Core.Errors;
using Caisson.Images.Distribution;

namespace Caisson.Tests.Images.Distribution;

public sealed class RegistryEndpointsTests
{
    [Fact]
    public void Docker_Hub_is_served_by_registry_1_over_https()
    {
        var endpoint = Assert.Single(new RegistryEndpoints(new RegistryOptions()).ForPull("docker.io"));

        Assert.Equal(new Uri("https://registry-1.docker.io/v2/"), endpoint.Root);
        Assert.False(endpoint.IsMirror);
    }

    [Fact]
    public void Plain_http_is_used_only_where_configured()
    {
        var options = new RegistryOptions();
        options.Hosts["localhost:5000"] = new RegistryHostOptions { PlainHttp = true };
        var endpoints = new RegistryEndpoints(options);

        Assert.Equal("http", endpoints.Primary("localhost:5000").Root.Scheme);
        Assert.Equal("https", endpoints.Primary("localhost:5001").Root.Scheme);
    }

    [Fact]
    public void Mirrors_come_first_then_catch_all_mirrors_then_the_registry()
    {
        var options = new RegistryOptions();
        options.Mirrors["registry.k8s.io"] = ["http://127.0.0.1:5000", "https://mirror.example/prefix/"];
        options.Mirrors[RegistryOptions.AnyRegistry] = ["mirror.any:443"];

        var roots = new RegistryEndpoints(options).ForPull("registry.k8s.io").Select(e => e.Root.AbsoluteUri).ToList();

        Assert.Equal(
            ["http://127.0.0.1:5000/v2/", "https://mirror.example/prefix/v2/", "https://mirror.any/v2/", "https://registry.k8s.io/v2/"],
            roots);
    }

    [Fact]
    public void A_mirror_s_credentials_come_from_its_own_host()
    {
        var options = new RegistryOptions();
        options.Mirrors["docker.io"] = ["http://127.0.0.1:5000"];

        var endpoints = new RegistryEndpoints(options).ForPull("docker.io");

        Assert.Equal("127.0.0.1:5000", endpoints[0].CredentialHost);
        Assert.Equal("docker.io", endpoints[1].CredentialHost);
    }

    [Theory]
    [InlineData("ftp scheme", "ftp://mirror.example")]
    [InlineData("query string", "https://mirror.example/?x=1")]
    [InlineData("user info", "https://user:pass@mirror.example")]
    [InlineData("not a URL", "https://")]
    public void A_bad_mirror_URL_is_an_invalid_argument_naming_it(string description, string url)
    {
        var options = new RegistryOptions();
        options.Mirrors["docker.io"] = [url];

        var error = Assert.Throws<InvalidArgumentException>(() => new RegistryEndpoints(options));

        Assert.True(error.Message.Contains(url, StringComparison.Ordinal), description);
    }
}
