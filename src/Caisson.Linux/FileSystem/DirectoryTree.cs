using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Whole-tree operations on host paths that hold untrusted content (snapshots).</summary>
public static class DirectoryTree
{
    /// <summary>
    /// Removes <paramref name="path"/> and everything below it, never following a symlink, however deep the tree;
    /// false when it did not exist.
    /// </summary>
    public static bool Remove(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException("cannot remove the root directory", nameof(path));
        var parentFd = OpenAt(AT_FDCWD, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (parentFd < 0)
        {
            var errno = Syscall.LastError;
            return errno == Errno.ENOENT ? false : throw Errno.Exception(errno, "open", parent);
        }

        try
        {
            return TreeRemover.Remove(parentFd, Path.GetFileName(full), full);
        }
        finally
        {
            Syscall.CloseQuietly(parentFd);
        }
    }
}
