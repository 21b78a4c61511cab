using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Images.Archive;

/// <summary>
/// Names inside an image archive. They are only ever used as keys (nothing is written under them), but an archive
/// that tries to reach outside itself is refused outright rather than quietly tolerated.
/// </summary>
internal static class ArchivePath
{
    public const string BlobsDirectory = "blobs";
    private const int MaxLength = 4096;

    /// <summary>The canonical form of an entry name: relative, '/'-separated, without '.' components.</summary>
    public static string Normalize(string name, string what)
    {
        if (string.IsNullOrEmpty(name))
            throw Invalid(name, what, "empty name");
        if (name.Length > MaxLength)
            throw Invalid(name[..64] + "...", what, $"name longer than {MaxLength} characters");
        if (name.Contains('\0', StringComparison.Ordinal))
            throw Invalid(name, what, "NUL in name");
        if (name.StartsWith('/'))
            throw Invalid(name, what, "absolute path");

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
                throw Invalid(name, what, "\"..\" leaves the archive");
            parts.Add(part);
        }

        if (parts.Count == 0)
            throw Invalid(name, what, "names the archive root");
        return string.Join('/', parts);
    }

    /// <summary>
    /// Where a symbolic link in <paramref name="linkName"/> points, as an archive name. Targets that leave the
    /// archive (absolute, or climbing above its root) are refused.
    /// </summary>
    public static string ResolveLink(string linkName, string target)
    {
        if (string.IsNullOrEmpty(target))
            throw Invalid(linkName, "link", "empty link target");
        if (target.StartsWith('/'))
            throw Invalid(linkName, "link", $"absolute target \"{target}\" points outside the archive");

        var parts = linkName.Split('/').SkipLast(1).ToList();
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw Invalid(linkName, "link", $"target \"{target}\" points outside the archive");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
            throw Invalid(linkName, "link", $"target \"{target}\" is the archive root");
        return string.Join('/', parts);
    }

    /// <summary>The content-addressed name of a blob in an OCI layout.</summary>
    public static string BlobName(Digest digest) => $"{BlobsDirectory}/{digest.Algorithm}/{digest.Hex}";

    /// <summary>The digest a name of the form <c>blobs/sha256/&lt;hex&gt;</c> claims, or null for any other name.</summary>
    public static Digest? DigestOfBlobName(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 3 && parts[0] == BlobsDirectory && Digest.TryParse($"{parts[1]}:{parts[2]}", out var digest) ? digest : null;
    }

    private static InvalidArgumentException Invalid(string name, string what, string why) =>
        new($"archive {what} \"{name}\" refused: {why}");
}
