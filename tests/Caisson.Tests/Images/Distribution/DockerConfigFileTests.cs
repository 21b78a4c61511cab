using Caisson.Core.Errors;
using Caisson.Images.Distribution;

namespace Caisson.Tests.Images.Distribution;

public sealed class DockerConfigFileTests
{
    [Theory]
    [InlineData("docker login's Docker Hub key", "https://index.docker.io/v1/", "docker.io")]
    [InlineData("Docker Hub API host", "registry-1.docker.io", "docker.io")]
    [InlineData("URL with port and path", "https://Registry.Example:5000/v2/", "registry.example:5000")]
    [InlineData("bare host", "ghcr.io", "ghcr.io")]
    [InlineData("http URL", "http://127.0.0.1:5000", "127.0.0.1:5000")]
    public void Keys_normalize_to_registry_names(string description, string key, string expected) =>
        Assert.True(expected == DockerConfigFile.NormalizeKey(key), description);

    [Fact]
    public void Auths_entries_become_credentials()
    {
        var json = """
            {
              "auths": {
                "https://index.docker.io/v1/": { "auth": "dTpw" },
                "ghcr.io": { "username": "g", "password": "h" },
                "quay.io": { "identitytoken": "refresh" },
                "empty.example": {}
              },
              "credsStore": "desktop"
            }
            """u8;

        var auths = DockerConfigFile.Parse(json);

        Assert.Equal(new RegistryCredentials("u", "p", null, null), auths["docker.io"]);
        Assert.Equal(new RegistryCredentials("g", "h", null, null), auths["ghcr.io"]);
        Assert.Equal("refresh", auths["quay.io"].IdentityToken);
        Assert.False(auths.ContainsKey("empty.example"));
    }

    [Fact]
    public void Malformed_JSON_is_an_invalid_argument() =>
        Assert.Throws<InvalidArgumentException>(() => DockerConfigFile.Parse("{\"auths\":"u8));
}
