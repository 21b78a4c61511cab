using System.Text;
using System.Text.Json;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>
/// Writes images and indexes as an OCI image layout (oci-layout, index.json, blobs/sha256/...), as a directory or
/// as a tar of one: what <c>ctr import</c>, skopeo and <c>docker save</c> (25+) exchange.
/// </summary>
public static class OciLayoutWriter
{
    /// <summary>The index.json annotation naming an entry (a tag, or a full reference).</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static void Write(string directory, IBuiltManifest content, string? refName = null) =>
        Write(directory, [(content, refName)]);

    public static void Write(string directory, IReadOnlyList<(IBuiltManifest Content, string? RefName)> entries) =>
        Collect(entries).WriteTo(directory);

    public static void WriteTar(Stream output, IBuiltManifest content, string? refName = null) =>
        WriteTar(output, [(content, refName)]);

    public static void WriteTar(Stream output, IReadOnlyList<(IBuiltManifest Content, string? RefName)> entries) =>
        Collect(entries).WriteTar(output);

    private static ArchiveFiles Collect(IReadOnlyList<(IBuiltManifest Content, string? RefName)> entries)
    {
        var files = new ArchiveFiles();
        files.Add("oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}"));
        var index = new ImageIndex
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciIndex,
            Manifests = entries.Select(e => e.RefName is null
                ? e.Content.Descriptor
                : e.Content.Descriptor with { Annotations = new Dictionary<string, string> { [RefNameAnnotation] = e.RefName } })
                .ToArray(),
        };
        files.Add("index.json", JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex));
        foreach (var (content, _) in entries)
            AddBlobs(files, content);
        return files;
    }

    private static void AddBlobs(ArchiveFiles files, IBuiltManifest content)
    {
        foreach (var child in content.Children)
            AddBlobs(files, child);
        files.Add(BlobPath(content.Digest), content.Bytes);
        foreach (var (digest, bytes) in content.Blobs)
            files.Add(BlobPath(digest), bytes);
    }

    private static string BlobPath(Caisson.Core.Digests.Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";
}
