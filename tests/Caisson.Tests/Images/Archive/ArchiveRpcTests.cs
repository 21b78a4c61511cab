using Caisson.Api.V1;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Google.Protobuf;
using Grpc.Core;

namespace Caisson.Tests.Images.Archive;

/// <summary>caisson.v1 Load and Save against a real caissond: archives streamed in and out in chunks.</summary>
[Trait("Category", "Integration")]
public sealed class ArchiveRpcTests
{
    private const int ClientChunk = 64 * 1024;

    [Fact]
    public async Task LoadsAStreamedArchiveAndSavesItBackInChunks()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        // A layer of incompressible bytes, so the saved archive spans several 1 MiB chunks.
        var noise = new byte[3 << 20];
        new Random(42).NextBytes(noise);
        var image = new ImageBuilder().AddLayer(LayerCompressionKind.Gzip, l => l.File("/noise.bin", noise)).Build();
        var archive = new OciLayoutBuilder();
        archive.Name(archive.Image(image), "io.containerd.image.name=example.com/noise:1");

        var loaded = await LoadAsync(daemon, archive.Build().ToArray());

        Assert.Equal(["example.com/noise:1"], loaded.Loaded);
        var listed = await daemon.CaissonImages.ListAsync(new ListImagesRequest());
        Assert.Equal(image.ConfigDigest.ToString(), Assert.Single(listed.Images).Id);

        using var save = daemon.CaissonImages.Save(new SaveRequest { References = { "example.com/noise:1" } });
        var chunks = new List<ByteString>();
        await foreach (var chunk in save.ResponseStream.ReadAllAsync())
            chunks.Add(chunk.Data);

        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 1 << 20));
        var saved = SavedArchive.Read(chunks.SelectMany(c => c.ToByteArray()).ToArray());
        Assert.Equal(image.Layers[0].Compressed, saved.Blobs()[image.Layers[0].Digest]);
        Assert.Equal("example.com/noise:1", Assert.Single(saved.Index().Manifests).Annotations!["io.containerd.image.name"]);
    }

    [Fact]
    public async Task RefusalsKeepTheirStatusCodes()
    {
        await using var daemon = await DaemonFixture.StartAsync();

        var load = await Assert.ThrowsAsync<RpcException>(() => LoadAsync(daemon, new TarBuilder().File("../escape", "x").ToArray()));
        Assert.Equal(StatusCode.InvalidArgument, load.StatusCode);
        Assert.Contains("\"..\" leaves the archive", load.Status.Detail, StringComparison.Ordinal);

        using var save = daemon.CaissonImages.Save(new SaveRequest { References = { "nothing:here" } });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in save.ResponseStream.ReadAllAsync())
                Assert.Fail("no data may be sent for a reference that does not exist");
        });
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("image \"nothing:here\" not found", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<LoadResponse> LoadAsync(DaemonFixture daemon, byte[] archive)
    {
        using var call = daemon.CaissonImages.Load();
        try
        {
            for (var offset = 0; offset < archive.Length; offset += ClientChunk)
            {
                var chunk = ByteString.CopyFrom(archive, offset, Math.Min(ClientChunk, archive.Length - offset));
                await call.RequestStream.WriteAsync(new LoadChunk { Data = chunk });
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The daemon refused the archive part way; its answer says why.
        }

        return await call.ResponseAsync;
    }
}
