using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Unpack.Tar;
using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack;

/// <summary>Unpacks one layer blob into a snapshot directory, computing its DiffId on the way.</summary>
public static class LayerUnpacker
{
    private const int ReadAheadDepth = 4;

    /// <summary>
    /// Reads <paramref name="blob"/> once, streaming: decompresses it, hashes the uncompressed tar (every byte
    /// to the end of the stream) and applies its entries under <paramref name="rootDirectory"/>, which must
    /// exist. Nothing is ever written outside that directory. On failure the directory may hold part of the
    /// layer; the caller discards it. <paramref name="blob"/> is left open.
    /// </summary>
    public static Task<UnpackResult> UnpackAsync(
        Stream blob, LayerCompression compression, string rootDirectory, WhiteoutMode mode, CancellationToken cancellationToken) =>
        UnpackAsync(blob, compression, rootDirectory, mode, lowerDirectories: [], cancellationToken);

    /// <summary>
    /// As above, for an overlay layer whose hard links may point into the layers beneath it:
    /// <paramref name="lowerDirectories"/> are those layers' directories, topmost first, and a link target found
    /// only there is copied up into this layer (as overlayfs itself would on a link). When the lower layers are not
    /// known yet (null), such a link throws <see cref="LowerLayersRequiredException"/> so the caller can unpack this
    /// layer again once they are.
    /// </summary>
    public static async Task<UnpackResult> UnpackAsync(
        Stream blob, LayerCompression compression, string rootDirectory, WhiteoutMode mode,
        IReadOnlyList<string>? lowerDirectories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        cancellationToken.ThrowIfCancellationRequested();
        using var fileSystem = RootedFileSystem.Open(rootDirectory);
        var lowers = new List<RootedFileSystem>();
        try
        {
            foreach (var directory in lowerDirectories ?? [])
                lowers.Add(RootedFileSystem.Open(directory));
            return await UnpackAsync(blob, compression, fileSystem, mode, cancellationToken,
                lowerDirectories is null ? LayerApplier.UnknownLowerLayers : lowers);
        }
        finally
        {
            foreach (var lower in lowers)
                lower.Dispose();
        }
    }

    /// <summary>Unpacks into an already opened root (tests pick its path resolution this way).</summary>
    internal static async Task<UnpackResult> UnpackAsync(
        Stream blob, LayerCompression compression, RootedFileSystem fileSystem, WhiteoutMode mode, CancellationToken cancellationToken,
        IReadOnlyList<RootedFileSystem>? lowerLayers = null)
    {
        await using var decompressed = Decompression.Open(blob, compression, leaveOpen: true);
        await using var hashing = new HashingReadStream(decompressed);
        // Decompressing and hashing run one step ahead of the file writes, on another thread.
        await using var readAhead = new ReadAheadStream(hashing, TarStreamReader.BufferSize, ReadAheadDepth, cancellationToken);
        using var reader = new TarStreamReader(readAhead);
        var applier = new LayerApplier(fileSystem, mode, lowerLayers);
        long entries = 0;
        try
        {
            while (await ReadNextAsync(reader, cancellationToken) is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                entries++;
                try
                {
                    await applier.ApplyAsync(entry, reader, cancellationToken);
                }
                catch (CaissonException e) when (e is not LowerLayersRequiredException)
                {
                    throw InEntry(entry.Name, e);
                }
            }

            await reader.DrainAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            throw new InvalidArgumentException($"layer is not valid {compression} data: {e.Message}", e);
        }

        applier.Finish();
        return new UnpackResult(Digest.FromSha256Hash(hashing.GetHash()), hashing.BytesRead, entries);
    }

    private static async ValueTask<TarEntry?> ReadNextAsync(TarStreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextAsync(cancellationToken);
        }
        catch (InvalidArgumentException e)
        {
            throw new InvalidArgumentException($"layer archive, header at byte {reader.HeaderOffset}: {e.Message}", e);
        }
    }

    private static CaissonException InEntry(string name, CaissonException inner)
    {
        var context = $"layer entry \"{EntryPath.Display(name)}\"";
        return inner.Kind == ErrorKind.InvalidArgument
            ? new InvalidArgumentException($"{context}: {inner.Message}", inner)
            : CaissonException.Wrap(context, inner);
    }
}
