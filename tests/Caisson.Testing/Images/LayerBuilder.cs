using System.Formats.Tar;
using System.Text;

namespace Caisson.Testing.Images;

/// <summary>
/// Describes the entries of one layer tar, in order. Paths are given from the root ("/bin/busybox") and written
/// as docker writes them ("bin/busybox"); anything else in a path, ".." included, is kept verbatim so tests can
/// build hostile layers. Parent directories are not added implicitly: an unpacker must cope with their absence,
/// and a test that wants them says so. Use <see cref="RawEntry"/> for entries the other methods cannot express.
/// </summary>
public sealed class LayerBuilder
{
    /// <summary>The mtime of every entry unless one is given: fixed so that layer digests are stable.</summary>
    public static readonly DateTimeOffset DefaultModificationTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<LayerEntry> entries = [];

    internal IReadOnlyList<LayerEntry> Entries => entries;

    public LayerBuilder Directory(string path, UnixFileMode? mode = null, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new LayerEntry(TarName(path) + "/", TarEntryType.Directory)
        {
            Mode = mode ?? UnixMode.Directory, Uid = uid, Gid = gid, ModificationTime = mtime ?? DefaultModificationTime,
        });

    public LayerBuilder File(string path, byte[] content, UnixFileMode? mode = null, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new LayerEntry(TarName(path), TarEntryType.RegularFile)
        {
            Content = content, Mode = mode ?? UnixMode.File, Uid = uid, Gid = gid, ModificationTime = mtime ?? DefaultModificationTime,
        });

    /// <summary>A regular file whose content is streamed from <paramref name="source"/> when the layer is built.</summary>
    public LayerBuilder File(string path, FileInfo source, UnixFileMode? mode = null, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new LayerEntry(TarName(path), TarEntryType.RegularFile)
        {
            Source = source, Mode = mode ?? UnixMode.File, Uid = uid, Gid = gid, ModificationTime = mtime ?? DefaultModificationTime,
        });

    /// <summary>A regular file holding <paramref name="text"/> as UTF-8.</summary>
    public LayerBuilder TextFile(string path, string text, UnixFileMode? mode = null, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        File(path, Encoding.UTF8.GetBytes(text), mode, uid, gid, mtime);

    /// <summary>A symbolic link; <paramref name="target"/> is written verbatim (relative or absolute).</summary>
    public LayerBuilder Symlink(string path, string target, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new LayerEntry(TarName(path), TarEntryType.SymbolicLink)
        {
            LinkName = target, Mode = UnixMode.Octal(0777), Uid = uid, Gid = gid, ModificationTime = mtime ?? DefaultModificationTime,
        });

    /// <summary>A hard link to <paramref name="target"/>, a path from the root, in this layer or a lower one.</summary>
    public LayerBuilder Hardlink(string path, string target, DateTimeOffset? mtime = null) =>
        Add(new LayerEntry(TarName(path), TarEntryType.HardLink)
        {
            LinkName = TarName(target), Mode = UnixMode.File, ModificationTime = mtime ?? DefaultModificationTime,
        });

    public LayerBuilder CharDevice(string path, int major, int minor, UnixFileMode? mode = null, int uid = 0, int gid = 0) =>
        Add(new LayerEntry(TarName(path), TarEntryType.CharacterDevice)
        {
            DeviceMajor = major, DeviceMinor = minor, Mode = mode ?? UnixMode.Octal(0666), Uid = uid, Gid = gid,
        });

    public LayerBuilder BlockDevice(string path, int major, int minor, UnixFileMode? mode = null, int uid = 0, int gid = 0) =>
        Add(new LayerEntry(TarName(path), TarEntryType.BlockDevice)
        {
            DeviceMajor = major, DeviceMinor = minor, Mode = mode ?? UnixMode.Octal(0660), Uid = uid, Gid = gid,
        });

    public LayerBuilder Fifo(string path, UnixFileMode? mode = null, int uid = 0, int gid = 0) =>
        Add(new LayerEntry(TarName(path), TarEntryType.Fifo) { Mode = mode ?? UnixMode.File, Uid = uid, Gid = gid });

    /// <summary>Deletes <paramref name="path"/> (and everything under it) from the lower layers: writes ".wh.name".</summary>
    public LayerBuilder Whiteout(string path)
    {
        var name = TarName(path);
        var slash = name.LastIndexOf('/');
        var whiteout = slash < 0 ? ".wh." + name : $"{name[..(slash + 1)]}.wh.{name[(slash + 1)..]}";
        return Add(new LayerEntry(whiteout, TarEntryType.RegularFile) { Content = [], Mode = 0 });
    }

    /// <summary>
    /// Hides what lower layers have under <paramref name="path"/>: writes the directory itself (as docker does)
    /// followed by its ".wh..wh..opq" marker. Entries added after this call fill the directory again.
    /// </summary>
    public LayerBuilder OpaqueDirectory(string path, UnixFileMode? mode = null, int uid = 0, int gid = 0)
    {
        Directory(path, mode, uid, gid);
        return Add(new LayerEntry(TarName(path) + "/.wh..wh..opq", TarEntryType.RegularFile) { Content = [], Mode = 0 });
    }

    /// <summary>Adds an extended attribute (PAX "SCHILY.xattr.") to the latest entry already added for <paramref name="path"/>.</summary>
    public LayerBuilder Xattr(string path, string name, string value)
    {
        var tarName = TarName(path);
        var entry = entries.LastOrDefault(e => e.Raw is null && e.Name.TrimEnd('/') == tarName)
            ?? throw new InvalidOperationException($"xattr {name} for \"{path}\": add the entry before its xattrs");
        entry.Xattrs[name] = value;
        return this;
    }

    /// <summary>Writes whatever entry <paramref name="create"/> returns, name and all, untouched (called once per build).</summary>
    public LayerBuilder RawEntry(Func<TarEntry> create) =>
        Add(new LayerEntry("", TarEntryType.RegularFile) { Raw = create });

    /// <summary>Builds this layer alone, e.g. to share it between images with <see cref="ImageBuilder.AddLayer(BuiltLayer)"/>.</summary>
    public BuiltLayer Build(LayerCompressionKind compression, ImageFormat format = ImageFormat.Oci) =>
        BuiltLayer.Create(LayerTarWriter.Write(entries), compression, format);

    private LayerBuilder Add(LayerEntry entry)
    {
        entries.Add(entry);
        return this;
    }

    private static string TarName(string path)
    {
        var name = path.StartsWith('/') ? path[1..] : path;
        name = name.TrimEnd('/');
        if (name.Length == 0)
            throw new ArgumentException($"\"{path}\" names the root; give a path below it", nameof(path));
        return name;
    }
}
