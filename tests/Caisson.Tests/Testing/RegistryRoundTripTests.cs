using Caisson.Testing.Images;
using Caisson.Testing.Registry;

namespace Caisson.Tests.Testing;

[Collection("registry")]
[Trait("Category", "Integration")]
public sealed class RegistryRoundTripTests(RegistryFixture registry)
{
    [Theory]
    [MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]
    public async Task Pushed_images_come_back_byte_for_byte(ImageFormat format, LayerCompressionKind compression)
    {
        var repository = $"roundtrip/{format}-{compression}".ToLowerInvariant();
        var busybox = TestImages.Busybox(format, compression);
        var multi = TestImages.MultiLayer(format, compression);

        var busyboxReference = await registry.PushAsync(busybox, repository + ":busybox");
        var multiReference = await registry.PushAsync(multi, $"{registry.Host}/{repository}:multi");

        Assert.Equal($"{registry.Host}/{repository}:busybox", busyboxReference);
        Assert.Equal($"{registry.Host}/{repository}:multi", multiReference);
        using var client = registry.CreateHttpClient();
        await RegistryAssert.StoredAsync(client, repository, "busybox", busybox);
        await RegistryAssert.StoredAsync(client, repository, "multi", multi);
        await RegistryAssert.StoredAsync(client, repository, busybox.Digest.ToString(), busybox);
    }

    [Theory]
    [InlineData(ImageFormat.Oci)]
    [InlineData(ImageFormat.Docker)]
    public async Task Pushed_index_and_its_images_come_back(ImageFormat format)
    {
        var amd64 = ImageBuilderTests.SmallImage(format, LayerCompressionKind.Gzip, "amd64", null);
        var arm64 = ImageBuilderTests.SmallImage(format, LayerCompressionKind.Zstd, "arm64", "v8");
        var index = new IndexBuilder().WithMediaTypes(format).Add(amd64).Add(arm64).Build();
        var repository = $"index/{format}".ToLowerInvariant();

        var reference = await registry.PushAsync(index, repository + ":v1");

        Assert.Equal($"{registry.Host}/{repository}:v1", reference);
        using var client = registry.CreateHttpClient();
        await RegistryAssert.StoredAsync(client, repository, "v1", index);
    }

    [Fact]
    public async Task Push_without_a_tag_is_by_digest_and_blobs_land_in_the_data_directory()
    {
        var image = TestImages.MultiLayer(ImageFormat.Oci, LayerCompressionKind.Zstd);

        var reference = await registry.PushAsync(image, "bydigest");

        Assert.Equal($"{registry.Host}/bydigest@{image.Digest}", reference);
        foreach (var (digest, bytes) in image.Blobs)
            Assert.Equal(bytes, File.ReadAllBytes(registry.BlobPath(digest)));
        Assert.Equal(image.ManifestBytes, File.ReadAllBytes(registry.BlobPath(image.Digest)));
        Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), registry.DataDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixture_listens_on_loopback_over_plain_http()
    {
        Assert.Equal(new Uri($"http://127.0.0.1:{registry.Port}/"), registry.BaseUri);
        Assert.Null(registry.Credentials);
        Assert.Null(registry.CaCertificatePath);
        using var client = registry.CreateHttpClient();
        using var response = await client.GetAsync("v2/");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-Api-Version").Single());
    }
}
