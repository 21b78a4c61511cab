using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>
/// Resolves a directory path inside a root one component at a time, never letting the kernel follow a
/// symlink: each link is read and its target spliced into the remaining path, an absolute target restarting
/// at the root and ".." stopping there. It is the fallback for kernels without openat2(2) and the way
/// missing directories get created on the way down.
/// </summary>
internal static class InRootPathWalker
{
    private const int MaxSymlinks = 40;
    private const uint ImplicitDirectoryMode = 0x1ED; // 0755

    /// <summary>Returns an O_PATH fd of the directory, or -1 when it is absent and <paramref name="create"/> is false.</summary>
    public static int OpenDirectory(int rootFd, ulong rootDevice, string path, bool create)
    {
        var pending = new Stack<string>();
        PushComponents(pending, path);
        var current = Syscall.OpenDirectoryPath(rootFd, ".", path);
        var depth = 0;
        var symlinks = 0;
        try
        {
            while (pending.TryPop(out var component))
            {
                if (component is "" or ".")
                    continue;
                if (component == "..")
                {
                    // At the root ".." stays put, as it does for "/" itself.
                    if (depth > 0)
                    {
                        Step(ref current, "..", path);
                        depth--;
                    }

                    continue;
                }

                if (StatxAt(current, component, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var status) < 0)
                {
                    var errno = Syscall.LastError;
                    if (errno != Errno.ENOENT)
                        throw Errno.Exception(errno, "statx", path);
                    if (!create)
                        return -1;
                    Syscall.Check(MkdirAt(current, component, ImplicitDirectoryMode), "mkdirat", path);
                    Step(ref current, component, path);
                    // 0755 whatever the process umask is.
                    Syscall.Check(FChmodAt(AT_FDCWD, Syscall.ProcPath(current), ImplicitDirectoryMode, 0), "chmod", path);
                    depth++;
                    continue;
                }

                switch (status.Mode & S_IFMT)
                {
                    case S_IFDIR:
                        if (DeviceOf(status) != rootDevice)
                            throw Errno.Exception(Errno.EXDEV, "resolve", path);
                        Step(ref current, component, path);
                        depth++;
                        break;
                    case S_IFLNK:
                        if (++symlinks > MaxSymlinks)
                            throw Errno.Exception(Errno.ELOOP, "resolve", path);
                        var target = ReadLink(current, component, path);
                        PushComponents(pending, target);
                        if (target.StartsWith('/'))
                        {
                            Syscall.CloseQuietly(current);
                            current = -1;
                            current = Syscall.OpenDirectoryPath(rootFd, ".", path);
                            depth = 0;
                        }

                        break;
                    default:
                        if (!create)
                            return -1;
                        throw Errno.Exception(Errno.ENOTDIR, "resolve", path);
                }
            }

            var result = current;
            current = -1;
            return result;
        }
        finally
        {
            Syscall.CloseQuietly(current);
        }
    }

    internal static ulong DeviceOf(in Statx status) => ((ulong)status.DevMajor << 32) | status.DevMinor;

    internal static unsafe string ReadLink(int directoryFd, string name, string displayPath)
    {
        // PATH_MAX bytes hold any target the kernel accepts.
        var buffer = stackalloc byte[4096];
        var length = (int)ReadlinkAt(directoryFd, name, buffer, 4096);
        Syscall.Check(length, "readlinkat", displayPath);
        return System.Text.Encoding.UTF8.GetString(buffer, length);
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var components = path.Split('/');
        for (var i = components.Length - 1; i >= 0; i--)
            pending.Push(components[i]);
    }

    private static void Step(ref int current, string name, string displayPath)
    {
        var next = Syscall.OpenDirectoryPath(current, name, displayPath);
        Syscall.CloseQuietly(current);
        current = next;
    }
}
