using System.Formats.Tar;
using Caisson.Testing.Images;

namespace Caisson.Tests.Testing;

/// <summary>
/// Applies layer tars in order to an in-memory tree, the way an unpacker applies them to a directory: an entry
/// replaces what is at its path (a directory with all under it) except a directory over a directory, which keeps
/// its children; ".wh.NAME" deletes NAME; ".wh..wh..opq" drops what lower layers put in its directory; a hard link
/// shares the node of its target (so one node object is one inode). An independent check of the expectations
/// written by hand in <see cref="TestImages.MultiLayerExpected"/>.
/// </summary>
internal sealed class MergedTreeModel
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);
    private int layer;

    public IReadOnlyDictionary<string, Node> Nodes => nodes;

    public static MergedTreeModel Apply(IEnumerable<byte[]> layerTars)
    {
        var model = new MergedTreeModel();
        foreach (var tar in layerTars)
        {
            model.layer++;
            foreach (var entry in TarContents.ReadEntries(tar))
                model.Apply(entry);
        }

        return model;
    }

    private void Apply(TarEntry entry)
    {
        var path = "/" + entry.Name.TrimEnd('/');
        var directory = path[..path.LastIndexOf('/')];
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name == OpaqueMarker)
        {
            RemoveUnder(directory, fromLowerLayersOnly: true);
            return;
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            Remove($"{directory}/{name[WhiteoutPrefix.Length..]}");
            return;
        }

        EnsureParents(directory);
        if (entry.EntryType == TarEntryType.Directory && nodes.TryGetValue(path, out var existing) && existing.Kind == ExpectedEntryKind.Directory)
        {
            existing.Mode = entry.Mode;
            existing.Uid = entry.Uid;
            existing.Gid = entry.Gid;
            return;
        }

        var node = entry.EntryType switch
        {
            TarEntryType.HardLink => nodes.GetValueOrDefault("/" + entry.LinkName)
                ?? throw new InvalidOperationException($"{path}: hard link to missing {entry.LinkName}"),
            TarEntryType.Directory => new Node(ExpectedEntryKind.Directory, entry, layer),
            TarEntryType.SymbolicLink => new Node(ExpectedEntryKind.Symlink, entry, layer) { LinkTarget = entry.LinkName },
            TarEntryType.RegularFile or TarEntryType.V7RegularFile => new Node(ExpectedEntryKind.File, entry, layer) { Content = TarContents.ReadContent(entry) },
            _ => throw new InvalidOperationException($"{path}: {entry.EntryType} is not modelled"),
        };
        Remove(path);
        nodes[path] = node;
    }

    private void EnsureParents(string directory)
    {
        if (directory.Length == 0)
            return;
        if (nodes.TryGetValue(directory, out var parent))
        {
            if (parent.Kind != ExpectedEntryKind.Directory)
                throw new InvalidOperationException($"{directory} is a {parent.Kind}, not a directory");
            return;
        }

        EnsureParents(directory[..directory.LastIndexOf('/')]);
        nodes[directory] = new Node(ExpectedEntryKind.Directory, UnixMode.Directory, 0, 0, layer);
    }

    private void Remove(string path)
    {
        nodes.Remove(path);
        RemoveUnder(path, fromLowerLayersOnly: false);
    }

    private void RemoveUnder(string directory, bool fromLowerLayersOnly)
    {
        var doomed = nodes.Where(n => n.Key.StartsWith(directory + "/", StringComparison.Ordinal) && (!fromLowerLayersOnly || n.Value.Layer < layer))
            .Select(n => n.Key).ToArray();
        foreach (var path in doomed)
            nodes.Remove(path);
    }

    /// <summary>An inode: hard links are several paths holding the same node.</summary>
    internal sealed class Node(ExpectedEntryKind kind, UnixFileMode mode, int uid, int gid, int layer)
    {
        public Node(ExpectedEntryKind kind, TarEntry entry, int layer)
            : this(kind, entry.Mode, entry.Uid, entry.Gid, layer)
        {
        }

        public ExpectedEntryKind Kind { get; } = kind;

        public UnixFileMode Mode { get; set; } = mode;

        public int Uid { get; set; } = uid;

        public int Gid { get; set; } = gid;

        /// <summary>The layer that made this node, which an opaque marker in a later layer hides.</summary>
        public int Layer { get; } = layer;

        public byte[] Content { get; init; } = [];

        public string? LinkTarget { get; init; }
    }
}
