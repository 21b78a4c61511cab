using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Caisson.Core.Errors;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;

namespace Caisson.Tests.Testing;

/// <summary>Registries of their own: basic auth, TLS, both, and what dispose leaves behind.</summary>
[Trait("Category", "Integration")]
public sealed class RegistryFixtureTests
{
    [Fact]
    public async Task Basic_auth_works_over_plain_http()
    {
        // distribution 2.8's docs say htpasswd auth needs TLS; it does not enforce that. This pins the behaviour
        // RegistryFixtureOptions.BasicAuth relies on.
        var credentials = RegistryCredentials.Generate();
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { BasicAuth = credentials });

        Assert.Equal("http", registry.BaseUri.Scheme);
        Assert.Same(credentials, registry.Credentials);
        using (var anonymous = registry.CreateHttpClient(authenticate: false))
        using (var refused = await anonymous.GetAsync("v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Basic", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        await AssertPushAndReadBackAsync(registry, "auth/plain");
    }

    [Theory]
    [InlineData("wrong password", "tester", "not-the-password")]
    [InlineData("unknown user", "mallory", "whatever")]
    public async Task Basic_auth_refuses_wrong_credentials(string description, string user, string password)
    {
        Assert.NotEmpty(description);
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { BasicAuth = new("tester", "right-password") });
        var pusher = RegistryPusher.Create(registry.BaseUri, registry.CreateHttpHandler(), new RegistryCredentials(user, password));

        var error = await Assert.ThrowsAsync<CaissonException>(() => pusher.PushAsync(TestImages.MultiLayer(), "auth/refused:v1"));

        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
    }

    [Fact]
    public async Task Tls_serves_a_certificate_from_the_fixture_ca()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { Tls = true });

        Assert.Equal(new Uri($"https://127.0.0.1:{registry.Port}/"), registry.BaseUri);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(registry.CaCertificatePath!));
        Assert.Equal(registry.CertificateAuthority!.CaCertificate.Thumbprint, ca.Thumbprint);
        await AssertPushAndReadBackAsync(registry, "tls/plain");

        using var untrusting = new HttpClient { BaseAddress = registry.BaseUri };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("v2/"));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Tls_certificate_names_localhost_too()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { Tls = true });
        using var client = new HttpClient(registry.CreateHttpHandler()) { BaseAddress = new Uri($"https://localhost:{registry.Port}/") };

        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Tls_and_basic_auth_together()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { Tls = true, BasicAuth = RegistryCredentials.Generate() });

        using (var anonymous = registry.CreateHttpClient(authenticate: false))
        using (var refused = await anonymous.GetAsync("v2/"))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await AssertPushAndReadBackAsync(registry, "tls/auth");
    }

    [Fact]
    public async Task Dispose_stops_the_registry_and_deletes_its_directory()
    {
        var registry = await RegistryFixture.StartAsync();
        await registry.PushAsync(TestImages.MultiLayer(), "gone:v1");
        var root = Path.GetDirectoryName(registry.DataDirectory)!;
        var port = registry.Port;

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(root), $"{root} still exists");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Throws<InvalidOperationException>(() => registry.Host);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_in_time_fails_clearly_and_is_cleaned_up()
    {
        var error = await Assert.ThrowsAsync<CaissonException>(() => RegistryFixture.StartAsync(new RegistryFixtureOptions { StartTimeout = TimeSpan.Zero }));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("did not answer GET /v2/ within 0 s", error.Message, StringComparison.Ordinal);
        var configPath = error.Message.Split(' ')[2].TrimEnd(':');
        Assert.EndsWith("config.yml", configPath, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(configPath)), "the fixture's directory was left behind");
    }

    [Fact]
    public async Task Registries_started_together_get_their_own_ports_and_storage()
    {
        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RegistryFixture.StartAsync()));
        try
        {
            Assert.Equal(4, started.Select(r => r.Port).Distinct().Count());
            Assert.Equal(4, started.Select(r => r.DataDirectory).Distinct().Count());
        }
        finally
        {
            foreach (var registry in started)
                await registry.DisposeAsync();
        }
    }

    private static async Task AssertPushAndReadBackAsync(RegistryFixture registry, string repository)
    {
        var image = TestImages.Busybox(ImageFormat.Oci, LayerCompressionKind.Gzip);
        await registry.PushAsync(image, repository + ":v1");
        using var client = registry.CreateHttpClient();
        await RegistryAssert.StoredAsync(client, repository, "v1", image);
    }
}
