using System.Security.Cryptography;

namespace Caisson.Testing.FaultRegistry;

/// <summary>The fault-injecting registry's storage: blobs and manifests per repository, tags, upload sessions.</summary>
internal sealed class RegistryContent
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Repository, string Digest), byte[]> blobs = [];
    private readonly Dictionary<(string Repository, string Digest), (byte[] Content, string MediaType)> manifests = [];
    private readonly Dictionary<(string Repository, string Tag), string> tags = [];
    private readonly Dictionary<string, MemoryStream> uploads = new(StringComparer.Ordinal);

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public string PutBlob(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        lock (gate)
            blobs[(repository, digest)] = content;
        return digest;
    }

    public byte[]? GetBlob(string repository, string digest)
    {
        lock (gate)
            return blobs.GetValueOrDefault((repository, digest));
    }

    public string PutManifest(string repository, string? tag, byte[] content, string mediaType)
    {
        var digest = DigestOf(content);
        lock (gate)
        {
            manifests[(repository, digest)] = (content, mediaType);
            if (tag is not null)
                tags[(repository, tag)] = digest;
        }

        return digest;
    }

    /// <summary>The manifest a tag or digest names, with its digest.</summary>
    public (byte[] Content, string MediaType, string Digest)? GetManifest(string repository, string reference)
    {
        lock (gate)
        {
            var digest = reference.Contains(':', StringComparison.Ordinal) ? reference : tags.GetValueOrDefault((repository, reference));
            if (digest is null || !manifests.TryGetValue((repository, digest), out var manifest))
                return null;
            return (manifest.Content, manifest.MediaType, digest);
        }
    }

    public string StartUpload()
    {
        var id = Guid.NewGuid().ToString("N");
        lock (gate)
            uploads[id] = new MemoryStream();
        return id;
    }

    /// <summary>Appends to an upload session; returns its length, or null when the session is unknown.</summary>
    public long? AppendUpload(string id, byte[] chunk)
    {
        lock (gate)
        {
            if (!uploads.TryGetValue(id, out var upload))
                return null;
            upload.Write(chunk);
            return upload.Length;
        }
    }

    public byte[]? FinishUpload(string id)
    {
        lock (gate)
        {
            if (!uploads.Remove(id, out var upload))
                return null;
            return upload.ToArray();
        }
    }
}
