using Caisson.Core.Errors;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class BlobDownloadTests : FaultRegistryTest
{
    private const string Repository = "library/test";
    private const int LayerSize = 256 * 1024;
    private TestImage image = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        image = TestImage.Create(layerSize: LayerSize);
        image.AddTo(Registry, Repository, "latest");
    }

    private string LayerDigest => image.LayerDescriptor.Digest;

    [Fact]
    public async Task A_blob_streams_whole_and_verified()
    {
        using var client = Client(Options(Registry));

        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(image.Layer, bytes);
        Assert.Null(Assert.Single(BlobRequests(Registry)).Header("Range"));
    }

    [Fact]
    public async Task A_blob_opened_at_an_offset_asks_for_a_range_and_gets_the_tail()
    {
        using var client = Client(Options(Registry));

        await using var stream = await client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 1000, null, default);
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(image.Layer[1000..], bytes);
        Assert.Equal("bytes=1000-", Assert.Single(BlobRequests(Registry)).Header("Range"));
    }

    [Theory]
    [InlineData("cut once", 1)]
    [InlineData("cut three times", 3)]
    public async Task A_cut_connection_resumes_with_Range_and_the_bytes_are_complete(string description, int cuts)
    {
        Registry.Faults.CutBlobAfter(LayerDigest, 10_000, cuts);
        using var client = Client(Options(Registry));

        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(image.Layer, bytes);
        var requests = BlobRequests(Registry);
        Assert.Equal(cuts + 1, requests.Count);
        Assert.Null(requests[0].Header("Range"));
        for (var i = 1; i <= cuts; i++)
            Assert.True($"bytes={i * 10_000}-" == requests[i].Header("Range"), $"{description}: request {i} had Range {requests[i].Header("Range")}");
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_blob_comes()
    {
        Registry.Faults.FailRequests(2, 500, "/blobs/");
        using var client = Client(Options(Registry));

        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);

        Assert.Equal(image.Layer, await ReadAllAsync(stream));
        Assert.Equal(3, BlobRequests(Registry).Count);
    }

    [Fact]
    public async Task Server_errors_beyond_MaxRetries_fail_as_unavailable()
    {
        Registry.Faults.FailRequests(10, 503, "/blobs/");
        var options = Options(Registry);
        options.MaxRetries = 2;
        using var client = Client(options);

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 0, null, default));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("HTTP 503", error.Message);
        Assert.Contains("gave up after 2 retries", error.Message);
        Assert.Equal(3, BlobRequests(Registry).Count);
    }

    [Fact]
    public async Task A_blob_that_keeps_ending_early_fails_after_the_retries()
    {
        Registry.Faults.CutBlobAfter(LayerDigest, 0, times: 10);
        var options = Options(Registry);
        options.MaxRetries = 2;
        using var client = Client(options);

        var error = await Assert.ThrowsAnyAsync<CaissonException>(async () =>
        {
            await using var stream = await client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 0, null, default);
            await ReadAllAsync(stream);
        });

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains(LayerDigest, error.Message);
        Assert.Contains("gave up after 2 retries", error.Message);
    }

    [Fact]
    public async Task A_server_that_ignores_Range_is_reread_from_the_start_without_corrupting_the_data()
    {
        Registry.Faults.IgnoreRange = true;
        Registry.Faults.CutBlobAfter(LayerDigest, 100_000);
        using var client = Client(Options(Registry));

        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(image.Layer, bytes);
        var requests = BlobRequests(Registry);
        Assert.Equal(2, requests.Count);
        Assert.Equal("bytes=100000-", requests[1].Header("Range"));
    }

    [Theory]
    [InlineData("Content-Length too big, padded body", 10)]
    [InlineData("Content-Length too small, short body", -10)]
    public async Task A_Content_Length_that_disagrees_with_the_descriptor_is_refused(string description, long delta)
    {
        Registry.Faults.LieAboutLength(LayerDigest, delta);
        using var client = Client(Options(Registry));

        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 0, null, default));

        Assert.True(error.Kind == ErrorKind.FailedPrecondition, description);
        Assert.Contains($"Content-Length {LayerSize + delta}", error.Message);
        Assert.Contains($"declares {LayerSize} bytes", error.Message);
    }

    [Fact]
    public async Task A_body_longer_than_the_descriptor_is_refused_after_exactly_size_bytes()
    {
        Registry.Faults.SendOverlongBody(LayerDigest, 5);
        using var client = Client(Options(Registry));
        await using var stream = await client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 0, null, default);
        var delivered = new MemoryStream();

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => stream.CopyToAsync(delivered));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains($"more than the {LayerSize} bytes", error.Message);
        Assert.Equal(image.Layer, delivered.ToArray());
    }

    [Fact]
    public async Task Corrupt_blob_bytes_fail_verification_naming_both_digests()
    {
        Registry.Faults.CorruptContent(LayerDigest);
        using var client = Client(Options(Registry));
        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => ReadAllAsync(stream));

        Assert.Contains($"expected {LayerDigest}", error.Message);
        Assert.Contains("got sha256:", error.Message);
    }

    [Fact]
    public async Task A_stalled_body_is_abandoned_and_resumed()
    {
        Registry.Faults.StallBlobAfter(LayerDigest, 5000);
        var options = Options(Registry);
        options.StallTimeout = TimeSpan.FromSeconds(2); // it also bounds the wait for headers: room for a loaded machine
        using var client = Client(options);

        await using var stream = await client.OpenVerifiedBlobAsync(Reference(Registry), image.LayerDescriptor, null, default);
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(image.Layer, bytes);
        Assert.Equal("bytes=5000-", BlobRequests(Registry)[1].Header("Range"));
    }

    [Fact]
    public async Task A_missing_blob_is_not_found_when_opened()
    {
        using var client = Client(Options(Registry));
        var missing = TestImage.Describe("application/octet-stream", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<NotFoundException>(
            () => client.OpenBlobAsync(Reference(Registry), missing, 0, null, default));

        Assert.Contains(missing.Digest, error.Message);
        Assert.Contains("BLOB_UNKNOWN", error.Message);
    }

    [Fact]
    public async Task Cancellation_is_not_retried()
    {
        Registry.Faults.StallBlobAfter(LayerDigest, 1000);
        using var client = Client(Options(Registry));
        using var cancel = new CancellationTokenSource();
        await using var stream = await client.OpenBlobAsync(Reference(Registry), image.LayerDescriptor, 0, null, default);
        var buffer = new byte[LayerSize];
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 1000), cancel.Token);

        cancel.CancelAfter(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }
        });

        Assert.Single(BlobRequests(Registry));
    }
}
