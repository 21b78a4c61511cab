using System.Buffers;
using System.IO.Pipelines;
using Caisson.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    private const int SaveChunkSize = 1 << 20;

    /// <summary>
    /// Streams the archive as it is written: the save writes into a pipe, and whole 1 MiB chunks leave as soon as
    /// they fill. A failure before the first byte (an unknown reference) ends the call with its own status.
    /// </summary>
    public override async Task Save(SaveRequest request, IServerStreamWriter<SaveChunk> responseStream, ServerCallContext context)
    {
        var pipe = Caisson.Core.IO.BulkPipe.Create(pauseWriterThreshold: 4 * SaveChunkSize, resumeWriterThreshold: 2 * SaveChunkSize);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var writing = WriteArchiveAsync(request.References.ToList(), pipe.Writer, stopWriting.Token);
        try
        {
            while (true)
            {
                var result = await pipe.Reader.ReadAsync(context.CancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.Length >= SaveChunkSize || (result.IsCompleted && !buffer.IsEmpty))
                {
                    var chunk = buffer.Slice(0, Math.Min(SaveChunkSize, buffer.Length));
                    await responseStream.WriteAsync(new SaveChunk { Data = UnsafeByteOperations.UnsafeWrap(chunk.ToArray()) }, context.CancellationToken)
                        .ConfigureAwait(false);
                    buffer = buffer.Slice(chunk.End);
                }

                pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        finally
        {
            // Reached early only when sending failed: stop the writer, which then ends on its own.
            await stopWriting.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
    }

    /// <summary>Runs the save into the pipe; its outcome, failure included, reaches the reader through the pipe.</summary>
    private async Task WriteArchiveAsync(IReadOnlyList<string> references, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            var output = writer.AsStream(leaveOpen: true);
            await using (output.ConfigureAwait(false))
                await _images.SaveAsync(references, output, cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }
}
