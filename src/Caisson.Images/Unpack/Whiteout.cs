using Caisson.Core.Errors;

namespace Caisson.Images.Unpack;

internal enum WhiteoutKind
{
    /// <summary>An ordinary entry.</summary>
    None,

    /// <summary><c>.wh.NAME</c>: NAME is deleted in this layer.</summary>
    Remove,

    /// <summary><c>.wh..wh..opq</c>: the directory hides what lower layers put in it.</summary>
    Opaque,

    /// <summary>AUFS bookkeeping (<c>.wh..wh.plnk</c> and friends) that old images carry; skipped, as docker does.</summary>
    AufsMetadata,
}

/// <summary>The OCI whiteout naming rules, checked strictly.</summary>
internal static class Whiteout
{
    public const string Prefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    private const string MetadataPrefix = ".wh..wh.";

    private static readonly string[] AufsMetadataNames = [".wh..wh.plnk", ".wh..wh.orph", ".wh..wh.aufs"];

    /// <summary>Classifies a clean entry path; for <see cref="WhiteoutKind.Remove"/> also gives the target's name.</summary>
    public static WhiteoutKind Classify(string path, out string target)
    {
        target = "";
        var slash = path.LastIndexOf('/');
        var parent = path.AsSpan(0, slash + 1);
        var name = path.AsSpan(slash + 1);
        foreach (var range in parent.Split('/'))
        {
            var component = parent[range];
            if (!component.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            if (IsAufsMetadata(component))
                return WhiteoutKind.AufsMetadata;
            throw new InvalidArgumentException($"whiteout name \"{component}\" used as a directory");
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            return WhiteoutKind.None;
        if (name.SequenceEqual(OpaqueMarker))
            return WhiteoutKind.Opaque;
        if (IsAufsMetadata(name))
            return WhiteoutKind.AufsMetadata;
        if (name.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            throw new InvalidArgumentException($"malformed whiteout \"{name}\" (reserved .wh..wh. prefix)");
        target = name[Prefix.Length..].ToString();
        if (target is "" or "." or "..")
            throw new InvalidArgumentException($"malformed whiteout \"{name}\" (no valid target name)");
        return WhiteoutKind.Remove;
    }

    private static bool IsAufsMetadata(ReadOnlySpan<char> name)
    {
        foreach (var metadata in AufsMetadataNames)
        {
            if (name.SequenceEqual(metadata))
                return true;
        }

        return false;
    }
}
