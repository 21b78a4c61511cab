using Caisson.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>caisson.v1 Images answering from <see cref="FakeDaemonState"/>.</summary>
internal sealed class FakeImagesService(FakeDaemonState state) : Caisson.Api.V1.Images.ImagesBase
{
    public override async Task Pull(PullRequest request, IServerStreamWriter<PullProgress> responseStream, ServerCallContext context)
    {
        state.LastPull = request;
        foreach (var message in state.PullMessages)
            await responseStream.WriteAsync(message);
        state.PullMessagesSent.TrySetResult();
        if (!state.PullWaitsForCancel)
            return;
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            state.PullCanceled.TrySetResult();
            throw;
        }
    }

    public override Task<ListImagesResponse> List(ListImagesRequest request, ServerCallContext context)
    {
        state.LastListFilter = request.Filter;
        return Task.FromResult(new ListImagesResponse { Images = { state.Images } });
    }

    public override Task<TagResponse> Tag(TagRequest request, ServerCallContext context)
    {
        state.TagRequests.Add(request);
        return Task.FromResult(new TagResponse { ImageId = "sha256:" + new string('1', 64) });
    }

    public override Task<RemoveResponse> Remove(RemoveRequest request, ServerCallContext context)
    {
        state.RemoveRequests.Add(request);
        return state.Removals.TryGetValue(request.Reference, out var response)
            ? Task.FromResult(response)
            : throw NotFound(request.Reference);
    }

    public override Task<InspectResponse> Inspect(InspectRequest request, ServerCallContext context) =>
        state.Inspections.TryGetValue(request.Reference, out var response)
            ? Task.FromResult(response)
            : throw NotFound(request.Reference);

    public override async Task<LoadResponse> Load(IAsyncStreamReader<LoadChunk> requestStream, ServerCallContext context)
    {
        await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken))
        {
            state.LoadChunkSizes.Add(chunk.Data.Length);
            chunk.Data.WriteTo(state.LoadedBytes);
            if (state.LoadFailure is { } failure)
                throw new RpcException(failure);
        }
        return state.LoadResponse;
    }

    public override async Task Save(SaveRequest request, IServerStreamWriter<SaveChunk> responseStream, ServerCallContext context)
    {
        state.SavedReferences.AddRange(request.References);
        foreach (var chunk in state.SaveChunks)
            await responseStream.WriteAsync(new SaveChunk { Data = ByteString.CopyFrom(chunk) });
        if (state.SaveFailure is { } failure)
            throw new RpcException(failure);
    }

    private static RpcException NotFound(string reference) =>
        new(new Status(StatusCode.NotFound, $"image \"{reference}\": not found"));
}
