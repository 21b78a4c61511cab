namespace Caisson.Images.Snapshots;

/// <summary>Removes a directory tree without following symlinks out of it, including read-only dirs and devices.</summary>
internal static class TreeRemover
{
    public static void RemoveTree(string path)
    {
        var root = new DirectoryInfo(path);
        if (!root.Exists)
            return;
        RemoveChildren(root);
        root.Attributes = FileAttributes.Normal;
        root.Delete();
    }

    private static void RemoveChildren(DirectoryInfo directory)
    {
        // Make sure we may delete entries even if the layer made the directory read-only (root bypasses modes,
        // but immutable-looking modes still confuse some tools).
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo sub && sub.LinkTarget is null)
            {
                RemoveChildren(sub);
                sub.Delete();
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
