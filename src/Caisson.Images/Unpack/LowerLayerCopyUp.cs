using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack;

/// <summary>
/// Copies a file from the overlay layers beneath into the layer being unpacked, so a hard link to it can be made
/// there: what overlayfs does when a lower file is linked. Whiteouts and opaque directories in the lower layers
/// hide what they would hide in the mounted image.
/// </summary>
internal static class LowerLayerCopyUp
{
    private const string OpaqueAttribute = "trusted.overlay.opaque";

    /// <summary>Copies <paramref name="path"/> up from the topmost lower layer that shows it; false when none does.</summary>
    public static bool TryCopyUp(RootedFileSystem layer, IReadOnlyList<RootedFileSystem> lowerLayers, string path)
    {
        foreach (var lower in lowerLayers)
        {
            var (hidden, opaqueAbove) = Visibility(lower, path);
            if (hidden)
                return false;
            if (lower.TryGetStatus(path, out var status))
            {
                if (IsWhiteout(status) || status.Kind != FileKind.Regular)
                    return false;
                Copy(lower, layer, path, status);
                return true;
            }

            if (opaqueAbove)
                return false;
        }

        return false;
    }

    /// <summary>Whether a whiteout in this layer hides the path, and whether an opaque ancestor hides the layers below.</summary>
    private static (bool Hidden, bool OpaqueAbove) Visibility(RootedFileSystem lower, string path)
    {
        var opaque = false;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        while (slash > 0)
        {
            var ancestor = path[..slash];
            if (!lower.TryGetStatus(ancestor, out var status))
                return (false, opaque);
            if (IsWhiteout(status))
                return (true, opaque);
            if (status.Kind == FileKind.Directory && lower.GetExtendedAttribute(ancestor, OpaqueAttribute) is [(byte)'y'])
                opaque = true;
            slash = path.IndexOf('/', slash + 1);
        }

        return (false, opaque);
    }

    private static bool IsWhiteout(FileStatus status) =>
        status.Kind == FileKind.CharacterDevice && status.DeviceMajor == 0 && status.DeviceMinor == 0;

    private static void Copy(RootedFileSystem from, RootedFileSystem to, string path, FileStatus status)
    {
        using var source = from.OpenRead(path);
        using var target = to.CreateFile(path);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = source.Read(buffer)) > 0)
            target.Write(buffer.AsSpan(0, read));
        target.SetOwner(status.Uid, status.Gid);
        target.SetPermissions(status.Permissions);
        target.SetTimes(status.ModificationTime, status.ModificationTime);
    }
}
