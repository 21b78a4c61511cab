using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;
using Caisson.Images.Content;
using Caisson.Images.Distribution;
using Caisson.Images.Metadata;
using Caisson.Images.Pull;
using Caisson.Images.Snapshots;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Store;

/// <summary>
/// The image store as the daemon's services use it: pull, find by name, id or digest, list, tag, remove, and
/// collect what no image uses.
/// </summary>
public sealed partial class ImageService : IDisposable
{
    private readonly MetadataStore _metadata;
    private readonly ImageDetailsCache _details;
    private readonly ImagePuller _puller;
    private readonly GarbageCollector _collector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Func<IEnumerable<Digest>>> _snapshotRoots = [];

    public ImageService(ImageStoreOptions options, RegistryClient registry, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<ImageService>();
        Options = options;
        Directory.CreateDirectory(options.Root);
        Content = new ContentStore(Path.Combine(options.Root, "content"));
        _metadata = new MetadataStore(Path.Combine(options.Root, "metadata.db"), _time);
        Snapshotter = SnapshotterFactory.Create(options.Snapshotter, Path.Combine(options.Root, "snapshots"), _logger);
        Events = new ImageEvents(_time);
        _details = new ImageDetailsCache(Content);
        var fetcher = new LayerFetcher(registry, Content, _metadata, Snapshotter, options.MaxConcurrentDownloads, loggers.CreateLogger<LayerFetcher>());
        _puller = new ImagePuller(registry, Content, _metadata, fetcher, _time, loggers.CreateLogger<ImagePuller>());
        _collector = new GarbageCollector(Content, _metadata, Snapshotter,
            () => _snapshotRoots.SelectMany(root => root()), loggers.CreateLogger<GarbageCollector>());
        Recover();
    }

    public ImageStoreOptions Options { get; }

    public ContentStore Content { get; }

    public ISnapshotter Snapshotter { get; }

    public ImageEvents Events { get; }

    /// <summary>Lets another subsystem (containers) keep snapshots alive through garbage collection.</summary>
    public void AddSnapshotRoots(Func<IEnumerable<Digest>> roots) => _snapshotRoots.Add(roots);

    private void Recover()
    {
        var tmp = Snapshotter.Recover();
        var ingests = Content.PruneIngests(TimeSpan.FromHours(24), _time);
        var leases = _metadata.PruneExpiredLeases();

        // The file system is the truth for snapshots: rows without a directory go, directories without a row get one.
        var committed = Snapshotter.ListCommitted().Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal);
        var rows = _metadata.ListSnapshots().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in rows.Except(committed))
            _metadata.DeleteSnapshot(stale);
        foreach (var missing in committed.Except(rows))
            _metadata.PutSnapshot(missing, Snapshotter.ParentOf(Digest.Parse(missing))?.ToString(), "committed");
        Log.Recovered(_logger, tmp, ingests, leases);
    }

    public async Task<ImageView> PullAsync(
        string reference,
        RegistryCredentials? credentials,
        Platform? platform,
        Action<PullProgressReport>? progress,
        CancellationToken cancellationToken)
    {
        var parsed = ImageReference.Parse(reference);
        var result = await _puller.PullAsync(parsed, credentials, platform ?? Options.Platform, progress, cancellationToken).ConfigureAwait(false);
        Events.Publish("image.pulled", result.Names[0], new Dictionary<string, string> { ["id"] = result.ImageId.ToString() });
        return FindById(result.ImageId) ?? throw new CaissonException(ErrorKind.Internal, $"pulled {reference} but cannot find image {result.ImageId}");
    }

    public IReadOnlyList<ImageView> List() =>
        _metadata.ListImages().GroupBy(r => r.ConfigDigest).Select(g => ToView(g.Key, g.ToList())).OfType<ImageView>()
            .OrderBy(v => v.RepoTags.FirstOrDefault() ?? v.RepoDigests.FirstOrDefault() ?? v.Id.ToString(), StringComparer.Ordinal)
            .ToList();

    /// <summary>Finds an image by name, repo digest, image id, or unique id prefix (12+ hex characters); null if none.</summary>
    public ImageView? Find(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidArgumentException("image reference is empty");
        if (Digest.TryParse(reference, out var id))
            return FindById(id) ?? FindByTarget(id);

        var records = _metadata.ListImages();
        if (ImageReference.TryParse(reference, out var parsed))
        {
            var byName = records.FirstOrDefault(r => r.Name == parsed!.ToString());
            if (byName is not null)
                return FindById(byName.ConfigDigest);
            if (parsed!.Digest is { } digest)
            {
                var byDigest = records.FirstOrDefault(r => r.TargetDigest == digest && ImageReference.Parse(r.Name).Name == parsed.Name);
                if (byDigest is not null)
                    return FindById(byDigest.ConfigDigest);
            }
        }

        if (reference.Length is >= 12 and <= 64 && reference.All(char.IsAsciiHexDigitLower))
        {
            var matches = records.Select(r => r.ConfigDigest).Distinct().Where(d => d.Hex.StartsWith(reference, StringComparison.Ordinal)).ToList();
            if (matches.Count > 1)
                throw new InvalidArgumentException($"image id prefix \"{reference}\" is ambiguous ({matches.Count} images)");
            if (matches.Count == 1)
                return FindById(matches[0]);
        }

        return null;
    }

    public ImageView Get(string reference) => Find(reference) ?? throw new NotFoundException($"image \"{reference}\" not found");

    private ImageView? FindById(Digest id) => ToView(id, _metadata.ListImages().Where(r => r.ConfigDigest == id).ToList());

    private ImageView? FindByTarget(Digest target)
    {
        var record = _metadata.ListImages().FirstOrDefault(r => r.TargetDigest == target || r.ManifestDigest == target);
        return record is null ? null : FindById(record.ConfigDigest);
    }

    private ImageView? ToView(Digest id, List<ImageRecord> records)
    {
        if (records.Count == 0)
            return null;
        ImageDetails details;
        try
        {
            details = _details.Get(records[0].ManifestDigest);
        }
        catch (NotFoundException e)
        {
            Log.BrokenImage(_logger, id.ToString(), e.Message);
            return null;
        }

        var tags = new List<string>();
        var digests = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var name = ImageReference.Parse(record.Name);
            if (name.Tag is not null && name.Digest is null)
                tags.Add(record.Name);
            digests.Add(name.WithDigest(record.TargetDigest).ToString());
        }

        tags.Sort(StringComparer.Ordinal);
        return new ImageView(id, tags, digests.ToList(), details.Size, details, records);
    }

    /// <summary>Gives the image <paramref name="source"/> names the additional name <paramref name="target"/>.</summary>
    public ImageView Tag(string source, string target)
    {
        var image = Get(source);
        var name = ImageReference.Parse(target);
        if (name.Digest is not null)
            throw new InvalidArgumentException($"cannot tag with a digest reference \"{target}\"");
        var template = image.Records[0];
        _metadata.PutImages([template with { Name = name.ToString() }]);
        Events.Publish("image.tagged", name.ToString(), new Dictionary<string, string> { ["id"] = image.Id.ToString() });
        return FindById(image.Id)!;
    }

    /// <summary>
    /// Removes a name; when it was the image's last tag (or <paramref name="allNames"/>, or the reference is an
    /// id) the whole image goes. Unused blobs and snapshots are then collected.
    /// </summary>
    public async Task<RemoveResult> RemoveAsync(string reference, bool allNames, CancellationToken cancellationToken)
    {
        var image = Get(reference);
        var untagged = new List<string>();
        var byName = !Digest.TryParse(reference, out _) && image.Records.FirstOrDefault(r => r.Name == NormalizeOrNull(reference)) is { } named
            ? named
            : null;
        if (byName is not null && !allNames)
        {
            _metadata.DeleteImage(byName.Name);
            untagged.Add(byName.Name);
            var remainingTags = image.Records.Count(r => r.Name != byName.Name && ImageReference.Parse(r.Name).Tag is not null && ImageReference.Parse(r.Name).Digest is null);
            if (remainingTags > 0)
            {
                Events.Publish("image.untagged", byName.Name, new Dictionary<string, string> { ["id"] = image.Id.ToString() });
                return new RemoveResult(untagged, []);
            }
        }

        foreach (var record in image.Records.Where(r => !untagged.Contains(r.Name)))
        {
            if (_metadata.DeleteImage(record.Name))
                untagged.Add(record.Name);
        }

        _details.Forget(image.Details.ManifestDigest);
        Events.Publish("image.removed", image.Id.ToString(), new Dictionary<string, string> { ["names"] = string.Join(",", untagged) });
        await CollectGarbageAsync(cancellationToken).ConfigureAwait(false);
        return new RemoveResult(untagged, [image.Id.ToString()]);
    }

    private static string? NormalizeOrNull(string reference) =>
        ImageReference.TryParse(reference, out var parsed) ? parsed!.ToString() : null;

    public Task<GarbageCollectionResult> CollectGarbageAsync(CancellationToken cancellationToken) => _collector.CollectAsync(cancellationToken);

    /// <summary>Records names for an image whose blobs and snapshots are already in the store (load).</summary>
    public void PutNames(IEnumerable<ImageRecord> records) => _metadata.PutImages(records);

    internal MetadataStore Metadata => _metadata;

    public void Dispose() => _metadata.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Store recovered: removed {Tmp} unfinished snapshots, {Ingests} stale ingests, {Leases} expired leases")]
        public static partial void Recovered(ILogger logger, int tmp, int ingests, int leases);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Image {Id} cannot be shown: {Reason}")]
        public static partial void BrokenImage(ILogger logger, string id, string reason);
    }
}
