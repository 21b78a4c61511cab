using Caisson.Core.Errors;
using Caisson.Images.Unpack.Tar;
using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack;

/// <summary>
/// Applies tar entries to a root, one at a time, with docker's replacement rules: a later entry replaces an
/// earlier one at its path, a directory over a directory merges, anything else over anything else replaces
/// it (a directory recursively). All file system access goes through <see cref="RootedFileSystem"/>.
/// </summary>
internal sealed partial class LayerApplier
{
    private const uint MaxDeviceMajor = 4095;
    private const uint MaxDeviceMinor = 1048575;

    private readonly RootedFileSystem fileSystem;
    private readonly WhiteoutMode mode;

    // Apply mode: every path this layer has put in place (with its ancestors), which an opaque marker keeps.
    private readonly HashSet<string>? layerPaths;

    // Directory times are set last: creating anything inside a directory changes its mtime.
    private readonly Dictionary<string, (UnixTimestamp Access, UnixTimestamp Modification)> directoryTimes =
        new(StringComparer.Ordinal);

    /// <summary>Stands for "the layers beneath exist but are not known yet" (see <see cref="LowerLayersRequiredException"/>).</summary>
    public static readonly IReadOnlyList<RootedFileSystem> UnknownLowerLayers = new List<RootedFileSystem>().AsReadOnly();

    // Overlay: the layers beneath, topmost first, where a hard link's target may live.
    private readonly IReadOnlyList<RootedFileSystem> lowerLayers;

    public LayerApplier(RootedFileSystem fileSystem, WhiteoutMode mode, IReadOnlyList<RootedFileSystem>? lowerLayers = null)
    {
        this.fileSystem = fileSystem;
        this.mode = mode;
        this.lowerLayers = mode == WhiteoutMode.Overlay ? lowerLayers ?? [] : [];
        layerPaths = mode == WhiteoutMode.Apply ? new HashSet<string>(StringComparer.Ordinal) : null;
    }

    public async ValueTask ApplyAsync(TarEntry entry, TarStreamReader reader, CancellationToken cancellationToken)
    {
        var path = EntryPath.Clean(entry.Name);
        switch (Whiteout.Classify(path, out var target))
        {
            case WhiteoutKind.AufsMetadata:
                return;
            case WhiteoutKind.Opaque:
                ApplyOpaqueMarker(EntryPath.Split(path).Parent);
                return;
            case WhiteoutKind.Remove:
                ApplyWhiteout(EntryPath.Join(EntryPath.Split(path).Parent, target), entry);
                return;
            default:
                break;
        }

        if (path.Length == 0)
        {
            // The snapshot root belongs to the snapshotter; containerd and docker ignore "./" as well.
            if (entry.Kind != TarEntryKind.Directory)
                throw new InvalidArgumentException("a non-directory entry cannot replace the layer root");
            return;
        }

        RecordLayerPath(path);
        if (entry.Kind != TarEntryKind.Directory)
            directoryTimes.Remove(path);
        switch (entry.Kind)
        {
            case TarEntryKind.RegularFile:
                await WriteFileAsync(path, entry, reader, cancellationToken);
                break;
            case TarEntryKind.Directory:
                CreateDirectory(path, entry);
                break;
            case TarEntryKind.SymbolicLink:
                CreateSymbolicLink(path, entry);
                break;
            case TarEntryKind.HardLink:
                CreateHardLink(path, entry);
                break;
            default:
                CreateNode(path, entry);
                break;
        }
    }

    /// <summary>Sets the deferred directory times, once every entry is in place.</summary>
    public void Finish()
    {
        foreach (var (path, times) in directoryTimes)
        {
            if (fileSystem.TryGetStatus(path, out var status) && status.Kind == FileKind.Directory)
                fileSystem.SetTimes(path, times.Access, times.Modification);
        }
    }

    private async ValueTask WriteFileAsync(string path, TarEntry entry, TarStreamReader reader, CancellationToken cancellationToken)
    {
        var (uid, gid) = Owner(entry);
        using var file = fileSystem.CreateFile(path);
        while (true)
        {
            var chunk = await reader.ReadDataAsync(cancellationToken);
            if (chunk.IsEmpty)
                break;
            file.Write(chunk.Span);
        }

        // Owner before mode (chown clears setuid/setgid), data and owner before capabilities (both clear them).
        file.SetOwner(uid, gid);
        file.SetPermissions(entry.Mode);
        foreach (var (name, value) in entry.ExtendedAttributes)
        {
            if (IsAllowedExtendedAttribute(name))
                file.SetExtendedAttribute(name, value);
        }

        file.SetTimes(entry.AccessTime, entry.ModificationTime);
    }

    private void CreateDirectory(string path, TarEntry entry)
    {
        var (uid, gid) = Owner(entry);
        fileSystem.CreateDirectory(path);
        SetAttributes(path, entry, uid, gid);
        directoryTimes[path] = (entry.AccessTime, entry.ModificationTime);
    }

    private void CreateSymbolicLink(string path, TarEntry entry)
    {
        var (uid, gid) = Owner(entry);
        if (entry.LinkName.Length == 0)
            throw new InvalidArgumentException("symlink with an empty target");
        // The target is stored verbatim; it is only ever resolved inside the root.
        fileSystem.CreateSymbolicLink(path, entry.LinkName);
        fileSystem.SetOwner(path, uid, gid);
        fileSystem.SetTimes(path, entry.AccessTime, entry.ModificationTime);
    }

    private void CreateHardLink(string path, TarEntry entry)
    {
        var what = $"hard link target \"{EntryPath.Display(entry.LinkName)}\"";
        var target = EntryPath.Clean(entry.LinkName, what);
        if (target.Length == 0)
            throw new InvalidArgumentException($"{what} is the layer root");
        if (!fileSystem.TryGetStatus(target, out var status))
        {
            if (ReferenceEquals(lowerLayers, UnknownLowerLayers))
                throw new LowerLayersRequiredException($"{what} is not in this layer; the layers beneath are needed");
            if (!LowerLayerCopyUp.TryCopyUp(fileSystem, lowerLayers, target) || !fileSystem.TryGetStatus(target, out status))
                throw new InvalidArgumentException($"{what} does not exist in the layer or beneath it");
        }

        if (status.Kind == FileKind.Directory)
            throw new InvalidArgumentException($"{what} is a directory");
        if (target == path)
            return;
        // The link shares its target's inode, whose own entry set owner, mode and times.
        fileSystem.CreateHardLink(path, target);
    }

    private void CreateNode(string path, TarEntry entry)
    {
        var (uid, gid) = Owner(entry);
        var kind = entry.Kind switch
        {
            TarEntryKind.CharacterDevice => FileKind.CharacterDevice,
            TarEntryKind.BlockDevice => FileKind.BlockDevice,
            _ => FileKind.Fifo,
        };
        uint major = 0;
        uint minor = 0;
        if (kind != FileKind.Fifo)
        {
            if (entry.DeviceMajor is < 0 or > MaxDeviceMajor || entry.DeviceMinor is < 0 or > MaxDeviceMinor)
            {
                throw new InvalidArgumentException(
                    $"device number {entry.DeviceMajor}:{entry.DeviceMinor} is out of range (major <= {MaxDeviceMajor}, minor <= {MaxDeviceMinor})");
            }

            (major, minor) = ((uint)entry.DeviceMajor, (uint)entry.DeviceMinor);
        }

        fileSystem.CreateNode(path, kind, major, minor);
        SetAttributes(path, entry, uid, gid);
        fileSystem.SetTimes(path, entry.AccessTime, entry.ModificationTime);
    }

    private void SetAttributes(string path, TarEntry entry, uint uid, uint gid)
    {
        fileSystem.SetOwner(path, uid, gid);
        fileSystem.SetPermissions(path, entry.Mode);
        foreach (var (name, value) in entry.ExtendedAttributes)
        {
            if (IsAllowedExtendedAttribute(name))
                fileSystem.SetExtendedAttribute(path, name, value);
        }
    }

    /// <summary>
    /// Only user.* and file capabilities come from a layer. trusted.overlay.* (and user.overlay.*, which an
    /// overlay mounted with userxattr reads instead) would let it forge overlayfs metadata such as opaque
    /// directories and redirects; other trusted.* and security.* attributes belong to the host's policy.
    /// </summary>
    private static bool IsAllowedExtendedAttribute(string name) =>
        (name.StartsWith("user.", StringComparison.Ordinal) && !name.StartsWith("user.overlay.", StringComparison.Ordinal))
        || name == "security.capability";

    private static (uint Uid, uint Gid) Owner(TarEntry entry) => (Id(entry.Uid, "uid"), Id(entry.Gid, "gid"));

    private static uint Id(long value, string what)
    {
        // (uid_t)-1 means "leave unchanged" to chown, so it cannot be an owner either.
        if (value is < 0 or >= uint.MaxValue)
            throw new InvalidArgumentException($"{what} {value} is out of range");
        return (uint)value;
    }
}
