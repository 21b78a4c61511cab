using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class PushTests : FaultRegistryTest
{
    private const string Repository = "team/app";

    private async Task PushAsync(RegistryClient client, TestImage image, RegistryCredentials? credentials = null)
    {
        var reference = Reference(Registry, $"{Repository}:v1");
        await client.PushBlobAsync(reference, image.LayerDescriptor, new MemoryStream(image.Layer), credentials, default);
        await client.PushBlobAsync(reference, image.ConfigDescriptor, new MemoryStream(image.Config), credentials, default);
        await client.PushManifestAsync(reference, "v1", image.ManifestMediaType, image.Manifest, credentials, default);
    }

    [Fact]
    public async Task Pushed_blobs_and_manifest_pull_back_identical()
    {
        var image = TestImage.Create(layerSize: 300_000);
        using var client = Client(Options(Registry));

        await PushAsync(client, image);
        var reference = Reference(Registry, $"{Repository}:v1");
        var resolved = await client.ResolveAsync(reference, null, default);
        var config = await client.FetchSmallBlobAsync(reference, image.ConfigDescriptor, null, default);
        await using var layer = await client.OpenVerifiedBlobAsync(reference, image.LayerDescriptor, null, default);

        Assert.Equal(image.Manifest, resolved.Content);
        Assert.Equal(MediaTypes.OciManifest, resolved.Descriptor.MediaType);
        Assert.Equal(image.Config, config);
        Assert.Equal(image.Layer, await ReadAllAsync(layer));
        var put = Registry.Requests.First(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));
        Assert.Contains($"digest={Uri.EscapeDataString(image.LayerDescriptor.Digest)}", put.Query);
        Assert.Equal(MediaTypes.OciManifest, Registry.GetManifest(Repository, "v1")!.Value.MediaType);
    }

    [Fact]
    public async Task A_blob_the_registry_has_is_not_uploaded_again()
    {
        var image = TestImage.Create();
        Registry.AddBlob(Repository, image.Layer);
        using var client = Client(Options(Registry));

        await client.PushBlobAsync(Reference(Registry, Repository), image.LayerDescriptor, new MemoryStream(image.Layer), null, default);

        Assert.Equal("HEAD", Assert.Single(Registry.Requests).Method);
    }

    [Fact]
    public async Task Pushing_asks_the_token_server_for_pull_and_push()
    {
        Registry.Auth.RequireToken("pusher", "pw", allowAnonymous: false);
        using var client = Client(Options(Registry));

        await PushAsync(client, TestImage.Create(), new RegistryCredentials("pusher", "pw", null, null));

        var scopes = Registry.Requests.Where(r => r.Path == "/token").Select(r => Uri.UnescapeDataString(r.Query)).ToList();
        Assert.Single(scopes);
        Assert.Contains($"scope=repository:{Repository}:pull,push", scopes[0]);
        Assert.NotNull(Registry.GetManifest(Repository, "v1"));
    }

    [Fact]
    public async Task Content_shorter_than_its_descriptor_is_not_pushed_as_the_blob()
    {
        var image = TestImage.Create();
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.PushBlobAsync(
            Reference(Registry, Repository), image.LayerDescriptor, new MemoryStream(image.Layer[..1000]), null, default));

        Assert.Contains($"ended after 1000 of {image.Layer.Length} bytes", error.Message);
        Assert.Null(Registry.GetBlob(Repository, image.LayerDescriptor.Digest));
    }

    [Fact]
    public async Task A_manifest_pushed_by_a_digest_it_does_not_have_is_refused_before_sending()
    {
        var image = TestImage.Create();
        using var client = Client(Options(Registry));
        var wrong = TestImage.Describe(MediaTypes.OciManifest, [1]).Digest;

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => client.PushManifestAsync(
            Reference(Registry, Repository), wrong, image.ManifestMediaType, image.Manifest, null, default));

        Assert.Contains($"expected {wrong}", error.Message);
        Assert.Empty(Registry.Requests);
    }

    [Fact]
    public async Task A_manifest_whose_blobs_are_missing_is_refused_with_the_registry_s_reason()
    {
        var image = TestImage.Create();
        using var client = Client(Options(Registry));
        Registry.Faults.FailRequests(1, 400, "/manifests/");

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.PushManifestAsync(
            Reference(Registry, Repository), "v1", image.ManifestMediaType, image.Manifest, null, default));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("INJECTED", error.Message);
    }
}
