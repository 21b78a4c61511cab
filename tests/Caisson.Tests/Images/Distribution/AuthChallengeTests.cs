using Caisson.Images.Distribution;

namespace Caisson.Tests.Images.Distribution;

public sealed class AuthChallengeTests
{
    [Theory]
    [InlineData("Docker Hub", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"",
        "https://auth.docker.io/token", "registry.docker.io", "repository:library/busybox:pull")]
    [InlineData("spaces after commas, unquoted token", "realm=\"https://r/t\", service=svc", "https://r/t", "svc", null)]
    [InlineData("comma inside a quoted scope", "realm=\"https://r/t\",scope=\"repository:a:pull,push\"", "https://r/t", null, "repository:a:pull,push")]
    [InlineData("escaped quote", "realm=\"https://r/t\",service=\"a\\\"b\"", "https://r/t", "a\"b", null)]
    [InlineData("upper-case keys", "Realm=\"https://r/t\",Service=\"s\"", "https://r/t", "s", null)]
    public void Parses_challenge_parameters(string description, string parameters, string realm, string? service, string? scope)
    {
        var challenge = AuthChallenge.Parse("Bearer", parameters);

        Assert.True(challenge.IsBearer, description);
        Assert.Equal(realm, challenge.Realm);
        Assert.Equal(service, challenge.Service);
        Assert.Equal(scope, challenge.Scope);
    }

    [Fact]
    public void Bearer_is_preferred_over_Basic_and_unknown_schemes_are_ignored()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Negotiate");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"r\"");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://r/t\"");

        var chosen = AuthChallenge.Select(response);

        Assert.NotNull(chosen);
        Assert.True(chosen.IsBearer);
    }

    [Fact]
    public void A_Bearer_challenge_without_realm_is_not_answerable_so_Basic_is_used()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer service=\"s\"");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"r\"");

        Assert.True(AuthChallenge.Select(response)!.IsBasic);
    }

    [Theory]
    [InlineData("token field", """{"token":"a","expires_in":300}""", "a", 300)]
    [InlineData("OAuth2 access_token", """{"access_token":"b"}""", "b", 60)]
    [InlineData("both: token wins", """{"token":"c","access_token":"d","expires_in":0}""", "c", 60)]
    public void Token_responses_are_read(string description, string json, string token, int seconds)
    {
        var (parsedToken, lifetime) = RegistryAuthenticator.ParseTokenResponse(System.Text.Encoding.UTF8.GetBytes(json), "test");

        Assert.True(token == parsedToken, description);
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }
}
