using System.Text;

namespace Caisson.Testing.Images;

/// <summary>
/// The merged file tree an image must unpack to: every path in it, paths that must not exist, and the paths that
/// must be hard links of one another. <see cref="FindMismatches"/> checks a directory on disk against it.
/// </summary>
public sealed class ExpectedTree
{
    public required IReadOnlyList<ExpectedEntry> Entries { get; init; }

    /// <summary>Paths that must not exist (deleted by whiteouts, hidden by opaque directories, replaced).</summary>
    public required IReadOnlyList<string> Absent { get; init; }

    /// <summary>Sets of paths that must be one inode (hard links that survive to the merged tree).</summary>
    public required IReadOnlyList<IReadOnlyList<string>> HardlinkGroups { get; init; }

    /// <summary>
    /// Compares the tree under <paramref name="root"/> with this one and describes every difference: a missing,
    /// extra or absent-but-present path, a wrong kind, mode, content or link target. Ownership and hard-link
    /// identity need stat(2), which .NET does not expose; tests that can stat check <see cref="ExpectedEntry.Uid"/>,
    /// <see cref="ExpectedEntry.Gid"/> and <see cref="HardlinkGroups"/> themselves.
    /// </summary>
    public IReadOnlyList<string> FindMismatches(string root)
    {
        var problems = new List<string>();
        var expected = Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        foreach (var entry in Entries)
            CheckEntry(root, entry, problems);
        foreach (var path in Absent)
        {
            var info = new FileInfo(OnDisk(root, path));
            if (info.Exists || info.LinkTarget is not null || System.IO.Directory.Exists(info.FullName))
                problems.Add($"{path}: must be absent but exists");
        }

        foreach (var path in AllPaths(root))
        {
            if (!expected.ContainsKey(path))
                problems.Add($"{path}: not expected in the tree");
        }

        return problems;
    }

    private static void CheckEntry(string root, ExpectedEntry entry, List<string> problems)
    {
        var full = OnDisk(root, entry.Path);
        FileSystemInfo info = System.IO.Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists && info.LinkTarget is null)
        {
            problems.Add($"{entry.Path}: missing");
            return;
        }

        var actualKind = info.LinkTarget is not null ? ExpectedEntryKind.Symlink
            : info is DirectoryInfo ? ExpectedEntryKind.Directory : ExpectedEntryKind.File;
        if (actualKind != entry.Kind)
        {
            problems.Add($"{entry.Path}: is a {actualKind}, expected a {entry.Kind}");
            return;
        }

        if (entry.Mode is { } mode && info.UnixFileMode != mode)
            problems.Add($"{entry.Path}: mode {UnixMode.Format(info.UnixFileMode)}, expected {UnixMode.Format(mode)}");
        if (entry.Kind == ExpectedEntryKind.Symlink && info.LinkTarget != entry.LinkTarget)
            problems.Add($"{entry.Path}: links to \"{info.LinkTarget}\", expected \"{entry.LinkTarget}\"");
        if (entry.Kind == ExpectedEntryKind.File && entry.Content is not null)
        {
            var content = Encoding.UTF8.GetString(File.ReadAllBytes(full));
            if (content != entry.Content)
                problems.Add($"{entry.Path}: content \"{content}\", expected \"{entry.Content}\"");
        }
    }

    private static IEnumerable<string> AllPaths(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        return new DirectoryInfo(root).EnumerateFileSystemInfos("*", options)
            .Select(i => "/" + Path.GetRelativePath(root, i.FullName));
    }

    private static string OnDisk(string root, string path) => Path.Join(root, path.TrimStart('/'));
}
