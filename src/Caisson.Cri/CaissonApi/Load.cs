using System.IO.Pipelines;
using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    private const int LoadBufferSize = 8 << 20;

    /// <summary>
    /// Client-streamed archive: chunks go into a pipe as they arrive and the load reads the tar from it, so the
    /// archive is never held whole; the pipe's limit pushes back on the client when unpacking is slower.
    /// </summary>
    public override async Task<LoadResponse> Load(IAsyncStreamReader<LoadChunk> requestStream, ServerCallContext context)
    {
        var pipe = Caisson.Core.IO.BulkPipe.Create(pauseWriterThreshold: LoadBufferSize, resumeWriterThreshold: LoadBufferSize / 2);
        using var stopFeeding = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var feed = FeedAsync(requestStream, pipe.Writer, stopFeeding.Token);
        IReadOnlyList<string> loaded;
        try
        {
            var archive = pipe.Reader.AsStream();
            await using (archive.ConfigureAwait(false))
                loaded = await _images.LoadAsync(archive, context.CancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stopFeeding.CancelAsync().ConfigureAwait(false);
            await ObserveAsync(feed).ConfigureAwait(false);
            throw;
        }

        // The tar ends before the client's stream does (padding after the end marker); let the client finish
        // sending before answering, so its last writes do not race the end of the call.
        await ObserveAsync(feed).ConfigureAwait(false);
        return new LoadResponse { Loaded = { loaded } };
    }

    /// <summary>Copies chunks into the pipe until the client is done; once the reader has stopped, discards the rest.</summary>
    private static async Task FeedAsync(IAsyncStreamReader<LoadChunk> chunks, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            var readerDone = false;
            while (await chunks.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (readerDone)
                    continue;
                var flush = await writer.WriteAsync(chunks.Current.Data.Memory, cancellationToken).ConfigureAwait(false);
                readerDone = flush.IsCompleted;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The load sees the client's failure as the archive's stream failing.
            await writer.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits for the feed without letting its failure replace the answer: a client failure has already reached the
    /// load through the pipe, and once the load is done the bytes after the archive do not matter.
    /// </summary>
    private static async Task ObserveAsync(Task feed)
    {
        try
        {
            await feed.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }
}
