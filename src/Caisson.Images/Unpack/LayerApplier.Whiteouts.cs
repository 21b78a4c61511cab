using Caisson.Core.Errors;
using Caisson.Images.Unpack.Tar;
using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack;

/// <summary>Whiteouts and opaque markers, in either <see cref="WhiteoutMode"/>.</summary>
internal sealed partial class LayerApplier
{
    private const string OverlayOpaqueAttribute = "trusted.overlay.opaque";

    private void ApplyWhiteout(string target, TarEntry entry)
    {
        if (mode == WhiteoutMode.Apply)
        {
            fileSystem.Remove(target);
            return;
        }

        // overlayfs reads a 0/0 character device as "deleted in this layer".
        var (uid, gid) = Owner(entry);
        RecordLayerPath(target);
        directoryTimes.Remove(target);
        fileSystem.CreateNode(target, FileKind.CharacterDevice, 0, 0);
        fileSystem.SetOwner(target, uid, gid);
    }

    private void ApplyOpaqueMarker(string directory)
    {
        if (mode == WhiteoutMode.Overlay)
        {
            if (!fileSystem.SetDirectoryExtendedAttribute(directory, OverlayOpaqueAttribute, "y"u8))
            {
                throw new FailedPreconditionException(
                    $"the file system of {fileSystem.RootPath} does not support trusted.* xattrs, needed for overlay opaque directories");
            }

            return;
        }

        // Apply mode: what lower layers left in the directory goes; what this layer put there (before or
        // after the marker in the tar) stays, and for its directories the same rule applies one level down.
        fileSystem.EnsureDirectory(directory);
        RecordLayerPath(directory);
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.TryPop(out var current))
        {
            foreach (var child in fileSystem.ListDirectory(current))
            {
                var childPath = EntryPath.Join(current, child);
                if (!layerPaths!.Contains(childPath))
                    fileSystem.Remove(childPath);
                else if (fileSystem.TryGetStatus(childPath, out var status) && status.Kind == FileKind.Directory)
                    pending.Push(childPath);
            }
        }
    }

    private void RecordLayerPath(string path)
    {
        if (layerPaths is null)
            return;
        while (path.Length > 0 && layerPaths.Add(path))
            path = EntryPath.Split(path).Parent;
    }
}
