using Caisson.Core.Digests;
using Caisson.Images.Content;

namespace Caisson.Images.Snapshots;

/// <summary>
/// The on-disk layout both snapshotters share: <c>&lt;root&gt;/&lt;chain hex&gt;/fs</c> plus a <c>parent</c> file,
/// built under <c>&lt;root&gt;/tmp/</c> and renamed into place.
/// </summary>
internal sealed class SnapshotDirectory
{
    private readonly string _tmp;

    public SnapshotDirectory(string root)
    {
        Root = root;
        _tmp = Path.Combine(root, "tmp");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(_tmp);
    }

    public string Root { get; }

    public string PathOf(Digest chainId) => Path.Combine(Root, chainId.Hex);

    public string FsOf(Digest chainId) => Path.Combine(PathOf(chainId), "fs");

    public bool IsCommitted(Digest chainId) => Directory.Exists(FsOf(chainId));

    public (string Work, string Fs) NewWorkDirectory(Digest chainId, Digest? parent)
    {
        var work = Path.Combine(_tmp, $"{chainId.ShortId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var fs = Path.Combine(work, "fs");
        Directory.CreateDirectory(fs);
        File.WriteAllText(Path.Combine(work, "parent"), parent?.ToString() ?? "");
        return (work, fs);
    }

    public void Commit(PreparedLayer layer)
    {
        var target = PathOf(layer.ChainId);
        if (Directory.Exists(target))
        {
            Delete(layer.WorkDirectory);
            return;
        }

        Durability.SyncDirectory(layer.WorkDirectory);
        try
        {
            Directory.Move(layer.WorkDirectory, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Delete(layer.WorkDirectory);
            return;
        }

        Durability.SyncDirectory(Root);
    }

    public Digest? ParentOf(Digest chainId)
    {
        var file = Path.Combine(PathOf(chainId), "parent");
        if (!File.Exists(file))
            return null;
        var text = File.ReadAllText(file).Trim();
        return text.Length == 0 ? null : Digest.Parse(text);
    }

    public IReadOnlyList<Digest> ListCommitted()
    {
        var result = new List<Digest>();
        foreach (var dir in new DirectoryInfo(Root).EnumerateDirectories())
        {
            if (Digest.TryParse("sha256:" + dir.Name, out var d) && Directory.Exists(Path.Combine(dir.FullName, "fs")))
                result.Add(d);
        }

        return result;
    }

    public void Remove(Digest chainId)
    {
        var path = PathOf(chainId);
        if (!Directory.Exists(path))
            return;

        // Move aside first so a crash mid-delete never leaves a half-deleted snapshot under its real name.
        var doomed = Path.Combine(_tmp, $"rm-{chainId.ShortId}-{Guid.NewGuid():N}");
        Directory.Move(path, doomed);
        Delete(doomed);
    }

    public int Recover()
    {
        var count = 0;
        foreach (var dir in new DirectoryInfo(_tmp).EnumerateDirectories())
        {
            Delete(dir.FullName);
            count++;
        }

        return count;
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
            Linux.FileSystem.DirectoryTree.Remove(path);
    }
}
