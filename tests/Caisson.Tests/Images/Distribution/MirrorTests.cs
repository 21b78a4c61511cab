using System.Net;
using System.Net.Sockets;
using Caisson.Core.Errors;
using Caisson.Core.References;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class MirrorTests : IAsyncLifetime
{
    private const string Repository = "library/test";
    private FaultInjectingRegistry upstream = null!;
    private FaultInjectingRegistry mirror = null!;
    private TestImage image = null!;

    public async Task InitializeAsync()
    {
        upstream = await FaultInjectingRegistry.StartAsync();
        mirror = await FaultInjectingRegistry.StartAsync("localhost");
        image = TestImage.Create();
        image.AddTo(upstream, Repository, "latest");
    }

    public async Task DisposeAsync()
    {
        await upstream.DisposeAsync();
        await mirror.DisposeAsync();
    }

    private RegistryOptions MirroredOptions(params string[] mirrors)
    {
        var options = Options(upstream);
        options.Mirrors[upstream.Authority] = [.. mirrors];
        return options;
    }

    private string MirrorUrl => mirror.BaseUri.AbsoluteUri.TrimEnd('/');

    [Fact]
    public async Task The_mirror_is_asked_first_and_the_registry_not_at_all()
    {
        image.AddTo(mirror, Repository, "latest");
        using var client = Client(MirroredOptions(MirrorUrl));

        var resolved = await client.ResolveAsync(Reference(upstream), null, default);
        await using (var layer = await client.OpenVerifiedBlobAsync(Reference(upstream), image.LayerDescriptor, null, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        Assert.Equal(MirrorUrl, resolved.Endpoint);
        Assert.Equal(2, mirror.Requests.Count);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task A_mirror_without_the_image_falls_through_to_the_registry()
    {
        using var client = Client(MirroredOptions(MirrorUrl));

        var resolved = await client.ResolveAsync(Reference(upstream), null, default);
        await using (var layer = await client.OpenVerifiedBlobAsync(Reference(upstream), image.LayerDescriptor, null, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        Assert.Equal($"http://{upstream.Authority}", resolved.Endpoint);
        Assert.Equal(2, mirror.Requests.Count);
    }

    [Fact]
    public async Task A_mirror_that_refuses_connections_falls_through_to_the_next_one()
    {
        image.AddTo(mirror, Repository, "latest");
        using var client = Client(MirroredOptions($"http://127.0.0.1:{ClosedPort()}", MirrorUrl));

        var resolved = await client.ResolveAsync(Reference(upstream), null, default);

        Assert.Equal(MirrorUrl, resolved.Endpoint);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task A_failing_mirror_is_not_retried_but_passed_over()
    {
        mirror.Faults.FailRequests(5, 502);
        using var client = Client(MirroredOptions(MirrorUrl));

        var resolved = await client.ResolveAsync(Reference(upstream), null, default);

        Assert.Equal($"http://{upstream.Authority}", resolved.Endpoint);
        Assert.Single(mirror.Requests);
    }

    [Fact]
    public async Task When_every_endpoint_fails_the_error_tells_what_each_said()
    {
        using var client = Client(MirroredOptions(MirrorUrl));
        var reference = Reference(upstream, $"{Repository}:missing");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => client.ResolveAsync(reference, null, default));

        Assert.Contains(reference.ToString(), error.Message);
        Assert.Contains(MirrorUrl, error.Message);
        Assert.Contains(upstream.Authority, error.Message);
    }

    [Fact]
    public async Task A_registry_k8s_io_name_is_served_by_a_plain_http_mirror_on_127_0_0_1()
    {
        await using var local = await FaultInjectingRegistry.StartAsync();
        var pause = TestImage.Create();
        pause.AddTo(local, "pause", "3.10");
        var options = Options();
        options.Mirrors["registry.k8s.io"] = [$"http://127.0.0.1:{local.BaseUri.Port}"];
        using var client = Client(options);
        var reference = ImageReference.Parse("registry.k8s.io/pause:3.10");

        var resolved = await client.ResolveAsync(reference, null, default);
        var config = await client.FetchSmallBlobAsync(reference, pause.ConfigDescriptor, null, default);
        await using (var layer = await client.OpenVerifiedBlobAsync(reference, pause.LayerDescriptor, null, default))
            Assert.Equal(pause.Layer, await ReadAllAsync(layer));

        Assert.Equal(pause.Manifest, resolved.Content);
        Assert.Equal(pause.Config, config);
        Assert.All(local.Requests, r => Assert.StartsWith("/v2/pause/", r.Path));
    }

    [Fact]
    public async Task A_mirror_with_a_path_prefix_is_asked_under_that_prefix()
    {
        await using var prefixed = await FaultInjectingRegistry.StartAsync(pathPrefix: "/cache/docker");
        image.AddTo(prefixed, Repository, "latest");
        using var client = Client(MirroredOptions(prefixed.BaseUri.AbsoluteUri));

        var resolved = await client.ResolveAsync(Reference(upstream), null, default);

        Assert.Equal(prefixed.BaseUri.AbsoluteUri.TrimEnd('/'), resolved.Endpoint);
        Assert.Equal($"/cache/docker/v2/{Repository}/manifests/latest", Assert.Single(prefixed.Requests).Path);
    }

    [Fact]
    public async Task A_catch_all_mirror_serves_any_registry_after_its_own_mirrors()
    {
        image.AddTo(mirror, Repository, "latest");
        var options = Options(mirror);
        options.Mirrors[RegistryOptions.AnyRegistry] = [mirror.Authority];
        using var client = Client(options);

        var resolved = await client.ResolveAsync(ImageReference.Parse($"quay.example/{Repository}:latest"), null, default);

        Assert.Equal(MirrorUrl, resolved.Endpoint);
    }

    [Fact]
    public async Task A_mirror_gets_its_own_credentials_never_the_registry_s()
    {
        image.AddTo(mirror, Repository, "latest");
        mirror.Auth.RequireBasic("mirror-user", "mirror-pass");
        var options = MirroredOptions(MirrorUrl);
        options.Hosts[mirror.Authority] = new RegistryHostOptions { Username = "mirror-user", Password = "mirror-pass" };
        using var client = Client(options);

        await client.ResolveAsync(Reference(upstream), new RegistryCredentials("registry-user", "registry-pass", null, null), default);

        Assert.DoesNotContain(mirror.Requests, r => r.Authorization?.Contains(
            Convert.ToBase64String("registry-user:registry-pass"u8), StringComparison.Ordinal) == true);
        Assert.NotNull(mirror.Requests[^1].Authorization);
    }

    [Fact]
    public async Task A_mirror_that_refuses_us_is_an_error_naming_the_mirror()
    {
        mirror.Auth.RequireBasic("mirror-user", "mirror-pass");
        using var client = Client(MirroredOptions(MirrorUrl));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(upstream), null, default));

        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
        Assert.Contains(mirror.Authority, error.Message);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task A_blob_cut_on_a_mirror_resumes_on_the_mirror()
    {
        image.AddTo(mirror, Repository, "latest");
        mirror.Faults.CutBlobAfter(image.LayerDescriptor.Digest, 1000);
        using var client = Client(MirroredOptions(MirrorUrl));

        await using (var layer = await client.OpenVerifiedBlobAsync(Reference(upstream), image.LayerDescriptor, null, default))
            Assert.Equal(image.Layer, await ReadAllAsync(layer));

        Assert.Equal("bytes=1000-", BlobRequests(mirror)[^1].Header("Range"));
        Assert.Empty(upstream.Requests);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
