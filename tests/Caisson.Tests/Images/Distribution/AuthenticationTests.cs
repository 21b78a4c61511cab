using System.Text;
using Caisson.Core.Errors;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class AuthenticationTests : FaultRegistryTest
{
    private const string Repository = "library/test";
    private TestImage image = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        image = TestImage.Create();
        image.AddTo(Registry, Repository, "latest");
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private List<RecordedRequest> TokenRequests => Registry.Requests.Where(r => r.Path == "/token").ToList();

    [Fact]
    public async Task Anonymous_bearer_flow_fetches_a_token_for_the_repository_scope()
    {
        Registry.Auth.RequireToken();
        using var client = Client(Options(Registry));

        await client.ResolveAsync(Reference(Registry), null, default);

        var token = Assert.Single(TokenRequests);
        Assert.Null(token.Authorization);
        Assert.Contains($"service={RegistryAuth.Service}", token.Query);
        Assert.Contains("scope=repository%3Alibrary%2Ftest%3Apull", token.Query);
        var manifests = Registry.Requests.Where(r => r.Path.Contains("/manifests/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, manifests.Count);
        Assert.Null(manifests[0].Authorization);
        Assert.StartsWith("Bearer issued-", manifests[1].Authorization);
    }

    [Fact]
    public async Task Credentials_go_to_the_token_server_as_basic_and_the_token_is_reused()
    {
        Registry.Auth.RequireToken("alice", "wonderland", allowAnonymous: false);
        using var client = Client(Options(Registry));
        var credentials = new RegistryCredentials("alice", "wonderland", null, null);
        var reference = Reference(Registry);

        await client.ResolveAsync(reference, credentials, default);
        await client.FetchSmallBlobAsync(reference, image.ConfigDescriptor, credentials, default);
        await using (var layer = await client.OpenVerifiedBlobAsync(reference, image.LayerDescriptor, credentials, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        Assert.Equal(Basic("alice", "wonderland"), Assert.Single(TokenRequests).Authorization);
        Assert.Equal(1, Registry.Auth.TokensIssued);
        Assert.Single(Registry.Requests, r => r.Path != "/token" && r.Authorization is null);
        Assert.DoesNotContain(Registry.Requests, r => r.Path != "/token" && r.Authorization?.StartsWith("Basic", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_refused_token_is_fetched_again_once()
    {
        Registry.Auth.RequireToken();
        using var client = Client(Options(Registry));
        await client.ResolveAsync(Reference(Registry), null, default);

        Registry.Auth.RevokeTokens();
        await client.ResolveAsync(Reference(Registry), null, default);

        Assert.Equal(2, Registry.Auth.TokensIssued);
    }

    [Theory]
    [InlineData("wrong password", "alice", "nope")]
    [InlineData("no credentials", null, null)]
    public async Task A_token_server_refusal_is_unauthenticated_naming_the_host(string description, string? user, string? password)
    {
        Registry.Auth.RequireToken("alice", "wonderland", allowAnonymous: false);
        using var client = Client(Options(Registry));
        var credentials = user is null ? null : new RegistryCredentials(user, password, null, null);

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(Registry), credentials, default));

        Assert.True(error.Kind == ErrorKind.Unauthenticated, $"{description}: {error.Kind}");
        Assert.Contains(Registry.Authority, error.Message);
    }

    [Fact]
    public async Task Basic_auth_sends_the_credentials_after_the_challenge_and_up_front_afterwards()
    {
        Registry.Auth.RequireBasic("bob", "builder");
        using var client = Client(Options(Registry));
        var credentials = new RegistryCredentials("bob", "builder", null, null);

        await client.ResolveAsync(Reference(Registry), credentials, default);
        await client.FetchSmallBlobAsync(Reference(Registry), image.ConfigDescriptor, credentials, default);

        var requests = Registry.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Null(requests[0].Authorization);
        Assert.Equal(Basic("bob", "builder"), requests[1].Authorization);
        Assert.Equal(Basic("bob", "builder"), requests[2].Authorization);
    }

    [Fact]
    public async Task Wrong_basic_credentials_are_unauthenticated_naming_the_host()
    {
        Registry.Auth.RequireBasic("bob", "builder");
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.ResolveAsync(Reference(Registry), new RegistryCredentials("bob", "wrong", null, null), default));

        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
        Assert.Contains(Registry.Authority, error.Message);
        Assert.Equal(2, Registry.Requests.Count);
    }

    [Fact]
    public async Task A_registry_token_is_sent_as_bearer_from_the_first_request()
    {
        Registry.Auth.RequireToken(allowAnonymous: false);
        var token = Registry.Auth.AddStaticToken();
        using var client = Client(Options(Registry));

        await client.ResolveAsync(Reference(Registry), new RegistryCredentials(null, null, null, token), default);

        Assert.Equal($"Bearer {token}", Assert.Single(Registry.Requests).Authorization);
        Assert.Equal(0, Registry.Auth.TokensIssued);
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_by_POST_as_a_refresh_token()
    {
        Registry.Auth.RequireToken(acceptedRefreshToken: "refresh-me", allowAnonymous: false);
        using var client = Client(Options(Registry));

        await client.ResolveAsync(Reference(Registry), new RegistryCredentials(null, null, "refresh-me", null), default);

        var token = Assert.Single(TokenRequests);
        Assert.Equal("POST", token.Method);
        Assert.Null(token.Authorization);
        Assert.Equal(1, Registry.Auth.TokensIssued);
    }

    [Theory]
    [InlineData("host:port key", "{0}")]
    [InlineData("URL key", "http://{0}/v1/")]
    public async Task Docker_config_credentials_are_used_when_the_request_has_none(string description, string keyFormat)
    {
        Registry.Auth.RequireBasic("carol", "pa:ss");
        var path = Path.Combine(Path.GetTempPath(), $"caisson-docker-config-{Guid.NewGuid():N}.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("carol:pa:ss"));
        var key = string.Format(null, keyFormat, Registry.Authority);
        await File.WriteAllTextAsync(path, "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth + "\"}}}");
        try
        {
            var options = Options(Registry);
            options.DockerConfigPath = path;
            using var client = Client(options);

            await client.ResolveAsync(Reference(Registry), null, default);

            Assert.True(Basic("carol", "pa:ss") == Registry.Requests[^1].Authorization, description);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Host_settings_supply_credentials_and_request_credentials_win()
    {
        Registry.Auth.RequireBasic("dave", "right");
        var options = Options(Registry);
        options.Hosts[Registry.Authority].Username = "dave";
        options.Hosts[Registry.Authority].Password = "wrong";
        using var client = Client(options);

        var fromHost = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(Registry), null, default));
        await client.ResolveAsync(Reference(Registry), new RegistryCredentials("dave", "right", null, null), default);

        Assert.Equal(ErrorKind.Unauthenticated, fromHost.Kind);
        Assert.Equal(Basic("dave", "wrong"), Registry.Requests[1].Authorization);
        Assert.Equal(Basic("dave", "right"), Registry.Requests[^1].Authorization);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_a_redirect_target_on_another_host()
    {
        await using var storage = await FaultInjectingRegistry.StartAsync("127.0.0.2");
        Registry.Auth.RequireBasic("erin", "secret");
        Registry.Faults.RedirectBlobsTo = storage;
        var logger = new RecordingLogger();
        using var client = Client(Options(Registry), logger);
        var credentials = new RegistryCredentials("erin", "secret", null, null);

        await using (var layer = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, credentials, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        var redirected = Assert.Single(storage.Requests);
        Assert.Null(redirected.Authorization);
        Assert.Contains("X-Amz-Signature", redirected.Query);
        Assert.Equal(Basic("erin", "secret"), BlobRequests(Registry)[^1].Authorization);
        Assert.DoesNotContain(logger.Lines, line => line.Contains("secret-signature", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, line => line.Contains($"GET http://{storage.Authority}/v2/{Repository}/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_foreign_layer_URL_is_fetched_first_and_without_credentials()
    {
        await using var foreign = await FaultInjectingRegistry.StartAsync("127.0.0.2");
        foreign.AddBlob("elsewhere", image.Layer);
        Registry.Auth.RequireBasic("frank", "secret");
        using var client = Client(Options(Registry));
        var descriptor = image.LayerDescriptor with { Urls = [$"{foreign.BaseUri}v2/elsewhere/blobs/{image.LayerDescriptor.Digest}"] };

        await using (var layer = await client.OpenVerifiedBlobAsync(
            Reference(Registry), descriptor, new RegistryCredentials("frank", "secret", null, null), default))
        {
            Assert.Equal(image.Layer, await ReadAllAsync(layer));
        }

        Assert.Null(Assert.Single(foreign.Requests).Authorization);
        Assert.Empty(BlobRequests(Registry));
    }

    [Theory]
    [InlineData("foreign URL answers 404", "http://127.0.0.2:{0}/missing")]
    [InlineData("foreign URL is not http", "file:///etc/passwd")]
    public async Task A_foreign_layer_URL_that_fails_falls_back_to_the_registry(string description, string urlFormat)
    {
        await using var foreign = await FaultInjectingRegistry.StartAsync("127.0.0.2");
        using var client = Client(Options(Registry));
        var descriptor = image.LayerDescriptor with { Urls = [string.Format(null, urlFormat, foreign.BaseUri.Port)] };

        await using (var layer = await client.OpenVerifiedBlobAsync(Reference(Registry), descriptor, null, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        Assert.True(BlobRequests(Registry).Count == 1, description);
    }
}
