using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Content;
using Caisson.Images.Distribution;
using Caisson.Images.Metadata;
using Caisson.Images.Snapshots;
using Caisson.Images.Unpack;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Pull;

/// <summary>
/// Makes a layer present as a stored blob and a committed snapshot. With overlayfs the download is decompressed
/// and unpacked while it arrives (one read of the bytes); two pulls needing the same layer share one job.
/// </summary>
internal sealed partial class LayerFetcher(
    RegistryClient registry,
    ContentStore content,
    MetadataStore metadata,
    ISnapshotter snapshotter,
    int maxConcurrentDownloads,
    ILogger logger)
{
    private const int BufferSize = 1 << 20;
    private readonly ConcurrentDictionary<Digest, SharedJob> _jobs = new();
    private readonly ConcurrentDictionary<Digest, SemaphoreSlim> _blobLocks = new();
    private readonly SemaphoreSlim _downloads = new(Math.Max(1, maxConcurrentDownloads));

    /// <summary>Joins (or starts) the job for a layer; <paramref name="parent"/> completes when the parent snapshot exists.</summary>
    public SharedJob Join(LayerRequest request, SharedJob? parent)
    {
        while (true)
        {
            var job = _jobs.GetOrAdd(request.ChainId, _ => new SharedJob(new LayerProgress(request.BlobDigest.ToString(), request.Blob.Size)));
            if (!job.TryJoin())
            {
                _jobs.TryRemove(new KeyValuePair<Digest, SharedJob>(request.ChainId, job));
                continue;
            }

            lock (job)
            {
                if (job.Completion == Task.CompletedTask && !job.Started)
                {
                    job.Started = true;
                    job.Start(async token =>
                    {
                        try
                        {
                            await RunAsync(request, job.Progress, parent, token).ConfigureAwait(false);
                        }
                        finally
                        {
                            _jobs.TryRemove(new KeyValuePair<Digest, SharedJob>(request.ChainId, job));
                        }
                    });
                }
            }

            return job;
        }
    }

    private async Task RunAsync(LayerRequest request, LayerProgress progress, SharedJob? parent, CancellationToken cancellationToken)
    {
        metadata.AddLeaseResource(request.LeaseId, LeaseResourceKind.Content, request.BlobDigest.ToString());
        metadata.AddLeaseResource(request.LeaseId, LeaseResourceKind.Snapshot, request.ChainId.ToString());

        var haveSnapshot = snapshotter.IsCommitted(request.ChainId);
        var haveBlob = content.Exists(request.BlobDigest);
        if (haveSnapshot && haveBlob)
        {
            progress.SetDownloaded(request.Blob.Size);
            progress.Set(LayerState.Exists);
            return;
        }

        var compression = MediaTypes.LayerCompressionOf(request.Blob.MediaType)
            ?? throw new InvalidArgumentException($"layer {request.BlobDigest} has unsupported media type \"{request.Blob.MediaType}\"");

        if (!haveSnapshot && !haveBlob && snapshotter.UnpacksIndependently)
        {
            try
            {
                await DownloadAndUnpackAsync(request, compression, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (LowerLayersRequiredException)
            {
                // The layer links to a file beneath it: unpack it again from the stored blob once its parent is there.
                if (parent is not null)
                    await parent.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                var stored = content.OpenRead(request.BlobDigest);
                await using (stored.ConfigureAwait(false))
                    await UnpackIntoSnapshotAsync(request, stored, compression, LowerDirectories(request, waited: true), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (!haveBlob)
                await DownloadAsync(request, progress, tee: null, cancellationToken).ConfigureAwait(false);
            else
                progress.SetDownloaded(request.Blob.Size);

            if (!haveSnapshot)
            {
                if (parent is not null)
                    await parent.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                progress.Set(LayerState.Unpacking);
                var blob = content.OpenRead(request.BlobDigest);
                await using (blob.ConfigureAwait(false))
                    await UnpackIntoSnapshotAsync(request, blob, compression, LowerDirectories(request, waited: true), cancellationToken).ConfigureAwait(false);
            }
        }

        progress.Set(LayerState.Done);
    }

    private async Task DownloadAndUnpackAsync(LayerRequest request, LayerCompression compression, LayerProgress progress, CancellationToken cancellationToken)
    {
        var pipe = Caisson.Core.IO.BulkPipe.Create(pauseWriterThreshold: 2 * BufferSize, resumeWriterThreshold: BufferSize);
        var unpack = Task.Run(async () =>
        {
            var stream = pipe.Reader.AsStream();
            try
            {
                await UnpackIntoSnapshotAsync(request, stream, compression, LowerDirectories(request, waited: false), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            }
        }, cancellationToken);

        try
        {
            await DownloadAsync(request, progress, pipe.Writer, cancellationToken).ConfigureAwait(false);
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            try
            {
                await unpack.ConfigureAwait(false);
            }
            catch (Exception) when (e is not OperationCanceledException)
            {
                // The download failure is the cause worth reporting.
            }

            throw;
        }

        progress.Set(LayerState.Unpacking);
        await unpack.ConfigureAwait(false);
    }

    /// <summary>
    /// The directories of the layers beneath an overlay layer, for hard links into them: empty for the bottom layer
    /// or a native snapshot (which holds the whole tree), null while the parent is still being unpacked.
    /// </summary>
    private IReadOnlyList<string>? LowerDirectories(LayerRequest request, bool waited)
    {
        if (request.ParentChainId is not { } parent || !snapshotter.UnpacksIndependently)
            return [];
        return waited || snapshotter.IsCommitted(parent) ? snapshotter.LayerDirectories(parent) : null;
    }

    private async Task UnpackIntoSnapshotAsync(
        LayerRequest request, Stream blob, LayerCompression compression, IReadOnlyList<string>? lowerDirectories, CancellationToken cancellationToken)
    {
        await LayerSnapshotWriter.WriteAsync(snapshotter, metadata, blob, compression, request.BlobDigest, request.DiffId,
            request.ChainId, request.ParentChainId, lowerDirectories, cancellationToken).ConfigureAwait(false);
        Log.LayerUnpacked(logger, request.BlobDigest.ToString(), request.ChainId.ToString());
    }

    /// <summary>Downloads the blob into the content store, resuming a partial ingest, copying each chunk to <paramref name="tee"/>.</summary>
    private async Task DownloadAsync(LayerRequest request, LayerProgress progress, PipeWriter? tee, CancellationToken cancellationToken)
    {
        var blobLock = _blobLocks.GetOrAdd(request.BlobDigest, _ => new SemaphoreSlim(1, 1));
        await blobLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _downloads.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            if (content.Exists(request.BlobDigest))
            {
                // Another job stored it meanwhile; feed the stored copy.
                progress.SetDownloaded(request.Blob.Size);
                if (tee is not null)
                {
                    var stored = content.OpenRead(request.BlobDigest);
                    await using (stored.ConfigureAwait(false))
                        await CopyToPipeAsync(stored, tee, buffer, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            using var ingest = content.OpenIngest(request.BlobDigest, request.Blob.Size);
            var teeOpen = tee is not null;
            if (ingest.Offset > 0)
            {
                Log.Resuming(logger, request.BlobDigest.ToString(), ingest.Offset, request.Blob.Size);
                if (teeOpen)
                {
                    teeOpen = await ingest.ReplayWrittenAsync(buffer, async chunk =>
                        !(await tee!.WriteAsync(chunk, cancellationToken).ConfigureAwait(false)).IsCompleted, cancellationToken).ConfigureAwait(false);
                }
            }

            progress.SetDownloaded(ingest.Offset);
            progress.Set(LayerState.Downloading);
            if (ingest.Offset < request.Blob.Size)
            {
                var source = await registry.OpenBlobAsync(request.Repository, request.Blob, ingest.Offset, request.Credentials, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    int read;
                    while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await ingest.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        progress.Add(read);
                        if (teeOpen)
                        {
                            var flush = await tee!.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            teeOpen = !flush.IsCompleted;
                        }
                    }
                }
            }

            ingest.Commit();
            metadata.PutContent(request.BlobDigest.ToString(), request.Blob.Size, request.Blob.MediaType);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _downloads.Release();
            blobLock.Release();
        }
    }

    /// <summary>Copies a stream into the pipe; false when the reader stopped.</summary>
    private static async Task<bool> CopyToPipeAsync(Stream source, PipeWriter tee, byte[] buffer, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var flush = await tee.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted)
                return false;
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Resuming download of {Digest} at {Offset} of {Size} bytes")]
        public static partial void Resuming(ILogger logger, string digest, long offset, long size);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Unpacked layer {Digest} as snapshot {ChainId}")]
        public static partial void LayerUnpacked(ILogger logger, string digest, string chainId);
    }
}
