using Caisson.Core.Errors;
using Caisson.Images.Distribution;

namespace Caisson.Tests.Images.Distribution;

public sealed class RegistryCredentialsTests
{
    [Theory]
    [InlineData("username and password", "u", "p", null, null, null, "u", "p")]
    [InlineData("auth decodes to user and password", null, null, "dTpw", null, null, "u", "p")]
    [InlineData("a password may contain colons", null, null, "dTpwOjE6Mg==", null, null, "u", "p:1:2")]
    [InlineData("an explicit username wins over auth", "v", "q", "dTpw", null, null, "v", "q")]
    [InlineData("identity token alone", null, null, null, "refresh", null, null, null)]
    [InlineData("registry token alone", null, null, null, null, "bearer", null, null)]
    public void FromAuthConfig_reads_every_form(
        string description, string? username, string? password, string? auth, string? identityToken, string? registryToken,
        string? expectedUser, string? expectedPassword)
    {
        var credentials = RegistryCredentials.FromAuthConfig(username, password, auth, identityToken, registryToken);

        Assert.NotNull(credentials);
        Assert.True(expectedUser == credentials.Username, description);
        Assert.Equal(expectedPassword, credentials.Password);
        Assert.Equal(identityToken, credentials.IdentityToken);
        Assert.Equal(registryToken, credentials.RegistryToken);
    }

    [Fact]
    public void Nothing_given_means_no_credentials() =>
        Assert.Null(RegistryCredentials.FromAuthConfig("", "", "", "", ""));

    [Theory]
    [InlineData("not base64", "%%%")]
    [InlineData("no colon", "dXNlcg==")]
    [InlineData("empty user", "OnBhc3M=")]
    public void A_bad_auth_value_is_an_invalid_argument(string description, string auth)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => RegistryCredentials.DecodeBasicAuth(auth));

        Assert.False(string.IsNullOrEmpty(error.Message), description);
    }

    [Fact]
    public void Printing_credentials_hides_the_secrets()
    {
        var text = new RegistryCredentials("user", "hunter2", "refresh-secret", "bearer-secret").ToString();

        Assert.Contains("user", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("refresh-secret", text);
        Assert.DoesNotContain("bearer-secret", text);
    }
}
