using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;
using Caisson.Images.Content;
using Caisson.Images.Distribution;
using Caisson.Images.Metadata;
using Caisson.Images.Store;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Pull;

/// <summary>What a finished pull produced.</summary>
public sealed record PullResult(ImageReference Reference, Digest TargetDigest, Digest ManifestDigest, Digest ImageId, IReadOnlyList<string> Names);

/// <summary>
/// Pulls an image per the OCI distribution spec: resolve, pick the platform's manifest, fetch the config, then
/// fetch and unpack the layers concurrently, and finally point the names at it. A lease keeps everything it
/// touches from garbage collection until it is done.
/// </summary>
internal sealed partial class ImagePuller(
    RegistryClient registry,
    ContentStore content,
    MetadataStore metadata,
    LayerFetcher layers,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan LeaseLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    public async Task<PullResult> PullAsync(
        ImageReference reference,
        RegistryCredentials? credentials,
        Platform platform,
        Action<PullProgressReport>? progress,
        CancellationToken cancellationToken)
    {
        var leaseId = $"pull-{Guid.NewGuid():N}";
        metadata.CreateLease(leaseId, LeaseLifetime);
        try
        {
            return await PullLeasedAsync(reference, credentials, platform, progress, leaseId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CaissonException.Wrap($"pulling {reference}", e);
        }
        finally
        {
            metadata.DeleteLease(leaseId);
        }
    }

    private async Task<PullResult> PullLeasedAsync(
        ImageReference reference,
        RegistryCredentials? credentials,
        Platform platform,
        Action<PullProgressReport>? progress,
        string leaseId,
        CancellationToken cancellationToken)
    {
        var resolved = await registry.ResolveAsync(reference, credentials, cancellationToken).ConfigureAwait(false);
        var top = resolved.Descriptor;
        var topDigest = Digest.Parse(top.Digest);
        await StoreAsync(leaseId, topDigest, top.MediaType, resolved.Content, cancellationToken).ConfigureAwait(false);

        var document = ManifestDocument.Parse(resolved.Content, top.MediaType);
        Descriptor manifestDescriptor;
        ImageManifest manifest;
        if (document.Index is { } index)
        {
            manifestDescriptor = RegistryClient.SelectPlatform(index, platform);
            var bytes = await registry.FetchManifestAsync(reference, manifestDescriptor, credentials, cancellationToken).ConfigureAwait(false);
            var child = ManifestDocument.Parse(bytes, manifestDescriptor.MediaType);
            manifest = child.Manifest ?? throw new InvalidArgumentException(
                $"index entry {manifestDescriptor.Digest} for {platform} is itself an index; nested indexes are not supported");
            manifestDescriptor = manifestDescriptor with { MediaType = child.MediaType };
            await StoreAsync(leaseId, Digest.Parse(manifestDescriptor.Digest), child.MediaType, bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            manifestDescriptor = top with { MediaType = document.MediaType };
            manifest = document.Manifest!;
        }

        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
        {
            throw new InvalidArgumentException(
                $"{reference} is not a container image: its config has media type \"{manifest.Config.MediaType}\"");
        }

        var configDigest = Digest.Parse(manifest.Config.Digest);
        byte[] configJson;
        if (content.Exists(configDigest))
            configJson = await content.ReadAllAsync(configDigest, cancellationToken).ConfigureAwait(false);
        else
        {
            configJson = await registry.FetchSmallBlobAsync(reference, manifest.Config, credentials, cancellationToken).ConfigureAwait(false);
            await StoreAsync(leaseId, configDigest, manifest.Config.MediaType, configJson, cancellationToken).ConfigureAwait(false);
        }

        var config = ImageDetailsCache.ParseConfig(configJson, configDigest);
        if (!string.IsNullOrEmpty(config.OS) && config.OS != platform.OS)
            Log.PlatformMismatch(logger, reference.ToString(), $"{config.OS}/{config.Architecture}", platform.ToString());

        var jobs = StartLayers(reference, manifest, config, credentials, leaseId);
        await WaitReportingAsync(reference, jobs, progress, cancellationToken).ConfigureAwait(false);

        var names = NamesFor(reference, topDigest);
        var records = names.Select(name => new ImageRecord(
            name, topDigest, document.MediaType, top.Size, Digest.Parse(manifestDescriptor.Digest), configDigest,
            time.GetUtcNow(), time.GetUtcNow())).ToList();
        metadata.PutImages(records);
        Log.Pulled(logger, reference.ToString(), configDigest.ToString());
        return new PullResult(reference, topDigest, Digest.Parse(manifestDescriptor.Digest), configDigest, names);
    }

    private List<SharedJob> StartLayers(ImageReference reference, ImageManifest manifest, ImageConfig config, RegistryCredentials? credentials, string leaseId)
    {
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToArray();
        if (diffIds.Length != manifest.Layers.Count)
        {
            throw new InvalidArgumentException(
                $"manifest has {manifest.Layers.Count} layers but the image config lists {diffIds.Length} diff ids");
        }

        var chainIds = ChainId.Compute(diffIds);
        var jobs = new List<SharedJob>(diffIds.Length);
        SharedJob? parent = null;
        for (var i = 0; i < diffIds.Length; i++)
        {
            var blob = manifest.Layers[i];
            if (MediaTypes.LayerCompressionOf(blob.MediaType) is null)
                throw new InvalidArgumentException($"layer {blob.Digest} has unsupported media type \"{blob.MediaType}\"");
            var request = new LayerRequest(reference, blob, Digest.Parse(blob.Digest), diffIds[i], chainIds[i],
                i == 0 ? null : chainIds[i - 1], credentials, leaseId);
            parent = layers.Join(request, parent);
            jobs.Add(parent);
        }

        return jobs;
    }

    private async Task WaitReportingAsync(ImageReference reference, List<SharedJob> jobs, Action<PullProgressReport>? progress, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(jobs.Select(j => j.WaitAsync(cancellationToken)));
        var report = new PullProgressReport(reference.ToString(), jobs.Select(j => j.Progress).ToArray());
        while (!all.IsCompleted)
        {
            progress?.Invoke(report);
            await Task.WhenAny(all, Task.Delay(ProgressInterval, time, cancellationToken)).ConfigureAwait(false);
        }

        progress?.Invoke(report);
        await all.ConfigureAwait(false);
    }

    private async Task StoreAsync(string leaseId, Digest digest, string mediaType, byte[] bytes, CancellationToken cancellationToken)
    {
        metadata.AddLeaseResource(leaseId, LeaseResourceKind.Content, digest.ToString());
        await content.WriteAsync(digest, bytes, cancellationToken).ConfigureAwait(false);
        metadata.PutContent(digest.ToString(), bytes.Length, mediaType);
    }

    /// <summary>A pull by tag names the tag and the digest (as containerd records both); a pull by digest, the digest.</summary>
    private static List<string> NamesFor(ImageReference reference, Digest target)
    {
        var names = new List<string>();
        if (reference.Tag is not null)
            names.Add(reference.WithTag(reference.Tag).ToString());
        names.Add(reference.WithDigest(target).ToString());
        return names;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Pulled {Reference} as image {ImageId}")]
        public static partial void Pulled(ILogger logger, string reference, string imageId);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Reference} is built for {ImagePlatform}, not {Platform}")]
        public static partial void PlatformMismatch(ILogger logger, string reference, string imagePlatform, string platform);
    }
}
