using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>
/// Removes a directory entry and, for a directory, everything below it, without following symlinks and
/// without recursion: a layer can build trees far deeper than the stack, so the walk keeps one open fd and
/// climbs back with "..", which names the real parent of a directory reached by O_NOFOLLOW steps.
/// </summary>
internal static unsafe class TreeRemover
{
    private static readonly byte[] Parent = "..\0"u8.ToArray();

    private sealed class Frame(byte[] name)
    {
        public byte[] Name { get; } = name;

        public List<byte[]>? PendingDirectories { get; set; }
    }

    /// <summary>Removes <paramref name="name"/> under <paramref name="parentFd"/>; false when it did not exist.</summary>
    public static bool Remove(int parentFd, string name, string displayPath)
    {
        if (UnlinkAt(parentFd, name, 0) == 0)
            return true;
        var errno = Syscall.LastError;
        if (errno == Errno.ENOENT)
            return false;
        if (errno != Errno.EISDIR)
            throw Errno.Exception(errno, "unlinkat", displayPath);
        RemoveDirectoryTree(parentFd, NullTerminated(name), displayPath);
        return true;
    }

    private static void RemoveDirectoryTree(int parentFd, byte[] name, string displayPath)
    {
        var frames = new Stack<Frame>();
        frames.Push(new Frame(name));
        var current = OpenDirectory(parentFd, name, displayPath);
        try
        {
            while (true)
            {
                var frame = frames.Peek();
                frame.PendingDirectories ??= UnlinkAllButDirectories(current, displayPath);
                if (frame.PendingDirectories.Count > 0)
                {
                    var child = frame.PendingDirectories[^1];
                    frame.PendingDirectories.RemoveAt(frame.PendingDirectories.Count - 1);
                    var next = OpenDirectory(current, child, displayPath);
                    Syscall.CloseQuietly(current);
                    current = next;
                    frames.Push(new Frame(child));
                    continue;
                }

                frames.Pop();
                if (frames.Count == 0)
                {
                    Syscall.CloseQuietly(current);
                    current = -1;
                    RemoveDirectory(parentFd, name, displayPath);
                    return;
                }

                var up = OpenDirectory(current, Parent, displayPath);
                Syscall.CloseQuietly(current);
                current = up;
                RemoveDirectory(current, frame.Name, displayPath);
            }
        }
        finally
        {
            Syscall.CloseQuietly(current);
        }
    }

    /// <summary>Unlinks every non-directory in the directory and returns the names of its subdirectories.</summary>
    private static List<byte[]> UnlinkAllButDirectories(int directoryFd, string displayPath)
    {
        // List first, unlink after: removing entries while getdents walks the directory is unspecified.
        var entries = DirectoryListing.Read(directoryFd, displayPath);
        var directories = new List<byte[]>();
        foreach (var (entryName, type) in entries)
        {
            if (type == DT_DIR)
            {
                directories.Add(entryName);
                continue;
            }

            fixed (byte* p = entryName)
            {
                if (UnlinkAt(directoryFd, p, 0) == 0)
                    continue;
            }

            var errno = Syscall.LastError;
            if (errno == Errno.EISDIR)
                directories.Add(entryName);
            else if (errno != Errno.ENOENT)
                throw Errno.Exception(errno, "unlinkat", displayPath);
        }

        return directories;
    }

    private static int OpenDirectory(int directoryFd, byte[] name, string displayPath)
    {
        fixed (byte* p = name)
        {
            return Syscall.Check(
                OpenAt(directoryFd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0), "openat", displayPath);
        }
    }

    private static void RemoveDirectory(int directoryFd, byte[] name, string displayPath)
    {
        fixed (byte* p = name)
        {
            Syscall.Check(UnlinkAt(directoryFd, p, AT_REMOVEDIR), "unlinkat", displayPath);
        }
    }

    private static byte[] NullTerminated(string name)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(name) + 1];
        System.Text.Encoding.UTF8.GetBytes(name, bytes);
        return bytes;
    }
}
