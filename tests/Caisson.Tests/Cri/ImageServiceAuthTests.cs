using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>Pulls from registries that need credentials or TLS: the real docker-registry with htpasswd and a generated CA.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
public sealed class ImageServiceAuthTests
{
    private static ImageSpec Spec(string image) => new() { Image = image };

    [Fact]
    public async Task BasicAuthCredentialsFromThePullRequest()
    {
        var credentials = RegistryCredentials.Generate();
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { BasicAuth = credentials });
        var reference = await registry.PushAsync(TestImages.Busybox(), "private/busybox:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.HostSection(registry, withCredentials: false));

        var anonymous = await Assert.ThrowsAsync<RpcException>(async () =>
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) }));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Contains(registry.Host, anonymous.Status.Detail, StringComparison.Ordinal);

        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await daemon.Images.PullImageAsync(new PullImageRequest
        {
            Image = Spec(reference),
            Auth = new AuthConfig { Username = credentials.Username, Password = "wrong" },
        }));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);

        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest
        {
            Image = Spec(reference),
            Auth = new AuthConfig { Username = credentials.Username, Password = credentials.Password },
        });
        Assert.Equal(TestImages.Busybox().ConfigDigest.ToString(), pulled.ImageRef);
    }

    [Fact]
    public async Task BasicAuthAsBase64AuthField()
    {
        var credentials = RegistryCredentials.Generate();
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { BasicAuth = credentials });
        var reference = await registry.PushAsync(TestImages.Busybox(), "private/encoded:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.HostSection(registry, withCredentials: false));
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));

        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference), Auth = new AuthConfig { Auth = auth } });

        Assert.Equal(TestImages.Busybox().ConfigDigest.ToString(), pulled.ImageRef);
    }

    [Fact]
    public async Task CredentialsFromTheConfigFileAndFromDockerConfigJson()
    {
        var credentials = RegistryCredentials.Generate();
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { BasicAuth = credentials });
        var reference = await registry.PushAsync(TestImages.Busybox(), "private/configured:v1");

        await using (var daemon = await DaemonFixture.StartAsync(DaemonConfig.HostSection(registry)))
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });

        var dockerConfig = Path.Combine(Path.GetTempPath(), $"docker-config-{Guid.NewGuid():N}.json");
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        await File.WriteAllTextAsync(dockerConfig, "{\"auths\": {\"" + registry.Host + "\": {\"auth\": \"" + auth + "\"}}}");
        try
        {
            var toml = $"[registry]\nconfig_file = \"{dockerConfig}\"\n" + DaemonConfig.HostSection(registry, withCredentials: false);
            await using var daemon = await DaemonFixture.StartAsync(toml);
            var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });
            Assert.Equal(TestImages.Busybox().ConfigDigest.ToString(), pulled.ImageRef);
        }
        finally
        {
            File.Delete(dockerConfig);
        }
    }

    [Fact]
    public async Task TlsRegistryWithTheConfiguredCa()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistryFixtureOptions { Tls = true });
        var reference = await registry.PushAsync(TestImages.Busybox(), "tls/busybox:v1");

        // Without the CA the certificate is not trusted, and the error says so.
        await using (var untrusting = await DaemonFixture.StartAsync())
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await untrusting.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) }));
            Assert.Contains(registry.Host, error.Status.Detail, StringComparison.Ordinal);
        }

        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });
        Assert.Equal(TestImages.Busybox().ConfigDigest.ToString(), pulled.ImageRef);
    }
}
