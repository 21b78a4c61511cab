using System.Collections.Concurrent;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.References;
using Caisson.Images.Archive;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Store;

public sealed partial class ImageService
{
    private const string StagingPrefix = "load-";
    private readonly ConcurrentDictionary<string, byte> _activeStaging = new(StringComparer.Ordinal);

    /// <summary>Where loads stage archive files: under the root, so staged layers move into the content store by rename.</summary>
    private string StagingRoot => Path.Combine(Options.Root, "tmp");

    /// <summary>
    /// Imports a docker save or OCI image layout tar, reading it once from start to end (it may be arriving over
    /// the network). Returns what was loaded: the names, and an unnamed image's id.
    /// </summary>
    public async Task<IReadOnlyList<string>> LoadAsync(Stream archive, CancellationToken cancellationToken)
    {
        RemoveAbandonedStaging();
        var staging = Path.Combine(StagingRoot, $"{StagingPrefix}{Guid.NewGuid():N}");
        _activeStaging[staging] = 0;
        try
        {
            using var staged = await StagedArchive.ReadAsync(archive, staging, cancellationToken).ConfigureAwait(false);
            return await ImportAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CaissonException.Wrap("loading image archive", e);
        }
        finally
        {
            DeleteStaging(staging);
            _activeStaging.TryRemove(staging, out _);
        }
    }

    /// <summary>Imports an OCI image layout directory (or an unpacked docker save) on this machine.</summary>
    public async Task<IReadOnlyList<string>> LoadDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ImportAsync(new LayoutDirectory(path), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CaissonException.Wrap($"loading image layout {path}", e);
        }
    }

    private async Task<IReadOnlyList<string>> ImportAsync(IArchiveSource source, CancellationToken cancellationToken)
    {
        var importer = new ArchiveImporter(Content, _metadata, Snapshotter, Options.Platform, _time, _logger);
        var images = await importer.ImportAsync(source, cancellationToken).ConfigureAwait(false);
        var loaded = new List<string>();
        foreach (var image in images)
        {
            foreach (var name in image.Names)
                Events.Publish("image.loaded", name, new Dictionary<string, string> { ["id"] = image.Id.ToString() });
            loaded.AddRange(image.Named ? image.Names : [image.Id.ToString()]);
        }

        return loaded;
    }

    /// <summary>
    /// Writes the images <paramref name="references"/> name as one tar that is both a docker save archive and an
    /// OCI image layout. A reference by name saves the image under that name; by id or digest, without one.
    /// Every reference is resolved before the first byte is written, so a bad one fails cleanly.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<string> references, Stream output, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
            throw new InvalidArgumentException("save: no image references given");
        var images = new List<ExportedImage>();
        foreach (var reference in references)
        {
            var view = Get(reference);
            var image = images.Find(i => i.Details.ManifestDigest == view.Details.ManifestDigest);
            if (image is null)
                images.Add(image = new ExportedImage(view.Details, []));
            if (NameGiven(reference, view) is { } name && !image.Names.Contains(name))
                image.Names.Add(name);
        }

        try
        {
            await new ArchiveExporter(Content).WriteAsync(images, output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CaissonException.Wrap($"saving {string.Join(", ", references)}", e);
        }
    }

    /// <summary>The tag <paramref name="reference"/> names the image by, or null for an id, digest or prefix.</summary>
    private static ImageReference? NameGiven(string reference, ImageView view)
    {
        if (Digest.TryParse(reference, out _) || !ImageReference.TryParse(reference, out var parsed) || parsed!.Digest is not null)
            return null;
        return view.Records.Any(r => r.Name == parsed.ToString()) ? parsed : null;
    }

    /// <summary>Staging directories no running load owns were left by a crash; a daemon owns its root alone.</summary>
    private void RemoveAbandonedStaging()
    {
        if (!Directory.Exists(StagingRoot))
            return;
        foreach (var directory in Directory.EnumerateDirectories(StagingRoot, StagingPrefix + "*"))
        {
            if (!_activeStaging.ContainsKey(directory))
                DeleteStaging(directory);
        }
    }

    private void DeleteStaging(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException e)
        {
            ArchiveLog.StagingNotRemoved(_logger, directory, e.Message);
        }
    }

}
