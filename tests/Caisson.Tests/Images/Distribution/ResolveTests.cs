using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class ResolveTests : FaultRegistryTest
{
    private const string Repository = "library/test";

    [Theory]
    [InlineData(false, MediaTypes.OciManifest)]
    [InlineData(true, MediaTypes.DockerManifest)]
    public async Task Resolve_by_tag_returns_the_verified_manifest_with_its_media_type(bool docker, string mediaType)
    {
        var image = TestImage.Create(docker);
        var stored = image.AddTo(Registry, Repository, "latest");
        using var client = Client(Options(Registry));

        var resolved = await client.ResolveAsync(Reference(Registry), null, default);

        Assert.Equal(mediaType, resolved.Descriptor.MediaType);
        Assert.Equal(stored.Digest, resolved.Descriptor.Digest);
        Assert.Equal(image.Manifest.Length, resolved.Descriptor.Size);
        Assert.Equal(image.Manifest, resolved.Content);
        Assert.Equal($"http://{Registry.Authority}", resolved.Endpoint);
        var request = Assert.Single(Registry.Requests);
        Assert.Contains(MediaTypes.OciIndex, request.Header("Accept"));
        Assert.Contains(MediaTypes.DockerManifest, request.Header("Accept"));
    }

    [Fact]
    public async Task Resolve_by_digest_asks_for_the_digest()
    {
        var image = TestImage.Create();
        var stored = image.AddTo(Registry, Repository, tag: null);
        using var client = Client(Options(Registry));

        var resolved = await client.ResolveAsync(Reference(Registry, $"{Repository}@{stored.Digest}"), null, default);

        Assert.Equal(stored.Digest, resolved.Descriptor.Digest);
        Assert.EndsWith($"/manifests/{stored.Digest}", Assert.Single(Registry.Requests).Path);
    }

    [Theory]
    [InlineData(false, MediaTypes.OciIndex)]
    [InlineData(true, MediaTypes.DockerManifestList)]
    public async Task Resolve_returns_an_index_that_the_manifests_can_be_fetched_from(bool docker, string mediaType)
    {
        var amd64 = TestImage.Create(docker);
        var arm64 = TestImage.Create(docker, platform: new Platform { OS = "linux", Architecture = "arm64" });
        var amd64Descriptor = amd64.AddTo(Registry, Repository, null);
        var arm64Descriptor = arm64.AddTo(Registry, Repository, null);
        var (index, indexType) = TestImage.Index(docker,
            (amd64Descriptor, new Platform { OS = "linux", Architecture = "amd64" }),
            (arm64Descriptor, new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" }));
        Registry.AddManifest(Repository, "multi", index, indexType);
        using var client = Client(Options(Registry));

        var resolved = await client.ResolveAsync(Reference(Registry, $"{Repository}:multi"), null, default);
        var parsed = ManifestDocument.Parse(resolved.Content, resolved.Descriptor.MediaType);
        var chosen = RegistryClient.SelectPlatform(parsed.Index!, Platform.Parse("linux/arm64"));
        var manifest = await client.FetchManifestAsync(Reference(Registry, $"{Repository}:multi"), chosen, null, default);

        Assert.Equal(mediaType, resolved.Descriptor.MediaType);
        Assert.Equal(arm64.Manifest, manifest);
    }

    [Fact]
    public async Task Schema1_manifests_are_refused()
    {
        var schema1 = TestImage.Utf8("""{"schemaVersion":1,"name":"library/test","tag":"old","fsLayers":[],"history":[]}""");
        Registry.AddManifest(Repository, "old", schema1, MediaTypes.DockerManifestSchema1Signed);
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(
            () => client.ResolveAsync(Reference(Registry, $"{Repository}:old"), null, default));

        Assert.Contains("schema 1", error.Message);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_the_digest_is_refused()
    {
        var stored = TestImage.Create().AddTo(Registry, Repository, null);
        Registry.Faults.CorruptContent(stored.Digest);
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.ResolveAsync(Reference(Registry, $"{Repository}@{stored.Digest}"), null, default));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("digest mismatch", error.Message);
        Assert.Contains($"expected {stored.Digest}", error.Message);
    }

    [Fact]
    public async Task A_Docker_Content_Digest_that_disagrees_with_the_content_is_refused()
    {
        TestImage.Create().AddTo(Registry, Repository, "latest");
        Registry.Faults.WrongDigestHeader = true;
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(Registry), null, default));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("Docker-Content-Digest", error.Message);
    }

    [Fact]
    public async Task An_unknown_tag_is_not_found_naming_the_reference_and_the_registry_error()
    {
        using var client = Client(Options(Registry));
        var reference = Reference(Registry, $"{Repository}:nope");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => client.ResolveAsync(reference, null, default));

        Assert.Contains(reference.ToString(), error.Message);
        Assert.Contains("MANIFEST_UNKNOWN: manifest unknown", error.Message);
    }

    [Fact]
    public async Task Registry_error_bodies_are_part_of_the_message()
    {
        Registry.Faults.FailRequests(1, 403, "/manifests/");
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(Registry), null, default));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("INJECTED: injected failure", error.Message);
        Assert.Contains(Registry.Authority, error.Message);
    }

    [Theory]
    [InlineData("declared Content-Length", true)]
    [InlineData("chunked, no length", false)]
    public async Task A_huge_manifest_is_refused_without_reading_it_all(string description, bool declareLength)
    {
        const long huge = 256L * 1024 * 1024;
        Registry.Faults.ServeHugeManifest(Repository, "huge", huge, declareLength);
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.ResolveAsync(Reference(Registry, $"{Repository}:huge"), null, default));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Contains($"{ManifestDocument.MaxSize}-byte", error.Message);
        await Task.Delay(200);
        Assert.True(Registry.Faults.HugeManifestBytesSent < 64L * 1024 * 1024,
            $"{description}: the server got {Registry.Faults.HugeManifestBytesSent} bytes out before the client hung up");
    }

    [Fact]
    public async Task Fetching_by_descriptor_checks_size_and_digest()
    {
        var image = TestImage.Create();
        var stored = image.AddTo(Registry, Repository, null);
        using var client = Client(Options(Registry));
        var reference = Reference(Registry);

        var manifest = await client.FetchManifestAsync(reference, stored, null, default);
        var config = await client.FetchSmallBlobAsync(reference, image.ConfigDescriptor, null, default);
        var shortSize = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.FetchSmallBlobAsync(reference, image.ConfigDescriptor with { Size = image.Config.Length - 1 }, null, default));
        Registry.Faults.CorruptContent(image.ConfigDescriptor.Digest);
        var corrupt = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.FetchSmallBlobAsync(reference, image.ConfigDescriptor, null, default));

        Assert.Equal(image.Manifest, manifest);
        Assert.Equal(image.Config, config);
        Assert.Equal(ErrorKind.ResourceExhausted, shortSize.Kind);
        Assert.Contains("digest mismatch", corrupt.Message);
        Assert.Contains(image.ConfigDescriptor.Digest, corrupt.Message);
    }

    [Fact]
    public async Task A_config_descriptor_over_the_limit_is_refused_before_any_request()
    {
        using var client = Client(Options(Registry));
        var descriptor = TestImage.Describe(MediaTypes.OciConfig, [1]) with { Size = ManifestDocument.MaxSize + 1L };

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.FetchSmallBlobAsync(Reference(Registry), descriptor, null, default));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Empty(Registry.Requests);
    }
}
