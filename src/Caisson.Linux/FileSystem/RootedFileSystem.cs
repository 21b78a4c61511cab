using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>
/// A directory opened once and treated as "/": every path given to it is resolved inside it, symlinks and
/// all (openat2 with RESOLVE_IN_ROOT, or a component walk where openat2 is missing), and the last component
/// is never followed. Nothing done through it can reach a file outside the directory.
/// Paths are relative, clean ("a/b", no "." or ".." or empty components); "" is the root itself.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed partial class RootedFileSystem : IDisposable
{
    private const int MaxCachedDirectories = 64;
    private const int OpenAt2Retries = 8;

    private readonly int rootFd;
    private readonly ulong rootDevice;

    // Directories resolved so far, by path. A removal can change what a path resolves to (a symlink on the
    // way may be gone), so every removal retires the whole cache; retired fds are closed at the start of the
    // next operation, never in the middle of one that still holds them.
    private readonly Dictionary<string, int> directories = new(StringComparer.Ordinal);
    private readonly List<int> retired = [];
    private bool openAt2Unavailable;
    private bool fchmodAt2Unavailable;
    private bool disposed;

    private RootedFileSystem(string rootPath, int rootFd, ulong rootDevice, bool useOpenAt2, bool useFChmodAt2)
    {
        RootPath = rootPath;
        this.rootFd = rootFd;
        this.rootDevice = rootDevice;
        openAt2Unavailable = !useOpenAt2;
        fchmodAt2Unavailable = !useFChmodAt2;
    }

    /// <summary>The directory this file system is rooted at, as given.</summary>
    public string RootPath { get; }

    /// <summary>Opens <paramref name="rootPath"/>, which must be an existing directory.</summary>
    public static RootedFileSystem Open(string rootPath) => Open(rootPath, useOpenAt2: true);

    /// <summary>Tests turn off the newer syscalls to exercise what older kernels get: the component walk, chmod via /proc.</summary>
    internal static RootedFileSystem Open(string rootPath, bool useOpenAt2, bool useFChmodAt2 = true)
    {
        var fd = Syscall.Check(OpenAt(AT_FDCWD, rootPath, O_PATH | O_DIRECTORY | O_CLOEXEC, 0), "open", rootPath);
        try
        {
            Syscall.Check(StatxAt(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out var status), "statx", rootPath);
            return new RootedFileSystem(rootPath, fd, InRootPathWalker.DeviceOf(status), useOpenAt2, useFChmodAt2);
        }
        catch
        {
            Syscall.CloseQuietly(fd);
            throw;
        }
    }

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        RetireCache();
        CloseRetired();
        Syscall.CloseQuietly(rootFd);
    }

    /// <summary>Every public operation starts here: closes retired fds and keeps the cache bounded.</summary>
    private void BeginOperation()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (directories.Count >= MaxCachedDirectories)
            RetireCache();
        CloseRetired();
    }

    private void RetireCache()
    {
        retired.AddRange(directories.Values);
        directories.Clear();
    }

    private void CloseRetired()
    {
        foreach (var fd in retired)
            Syscall.CloseQuietly(fd);
        retired.Clear();
    }

    /// <summary>An O_PATH fd of the directory at <paramref name="path"/> (owned by the cache), or -1 when absent.</summary>
    private int ResolveDirectory(string path, bool create)
    {
        if (path.Length == 0)
            return rootFd;
        if (directories.TryGetValue(path, out var cached))
            return cached;
        var fd = OpenDirectoryInRoot(path, create);
        if (fd >= 0)
            directories[path] = fd;
        return fd;
    }

    private int OpenDirectoryInRoot(string path, bool create)
    {
        if (!openAt2Unavailable)
        {
            var how = new OpenHow
            {
                Flags = (ulong)(O_PATH | O_DIRECTORY | O_CLOEXEC),
                Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
            };
            for (var attempt = 0; attempt < OpenAt2Retries; attempt++)
            {
                var fd = OpenAt2(rootFd, path, how);
                if (fd >= 0)
                    return fd;
                var errno = Syscall.LastError;
                switch (errno)
                {
                    // A rename anywhere on the system during a ".." step: the kernel asks us to try again.
                    case Errno.EAGAIN:
                        continue;
                    case Errno.ENOSYS:
                        openAt2Unavailable = true;
                        break;
                    case Errno.ENOENT or Errno.ENOTDIR when !create:
                        return -1;
                    case Errno.ENOENT:
                        // Missing directories on the way: the walk creates them.
                        break;
                    default:
                        throw Errno.Exception(errno, "openat2", path);
                }

                break;
            }
        }

        return InRootPathWalker.OpenDirectory(rootFd, rootDevice, path, create);
    }

    /// <summary>The directory holding <paramref name="path"/> and the last component's name; fd -1 when absent.</summary>
    private (int ParentFd, string Name) ResolveEntry(string path, bool createParents)
    {
        ValidatePath(path);
        var slash = path.LastIndexOf('/');
        if (slash < 0)
            return (rootFd, path);
        return (ResolveDirectory(path[..slash], createParents), path[(slash + 1)..]);
    }

    private static void ValidatePath(string path)
    {
        if (path.Length == 0)
            throw new ArgumentException("the root itself cannot be created, linked or removed", nameof(path));
        ValidateRelative(path);
    }

    private static void ValidateRelative(string path)
    {
        if (path.Length == 0)
            return;
        if (path.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("path contains NUL", nameof(path));
        foreach (var component in path.AsSpan().Split('/'))
        {
            var name = path.AsSpan()[component];
            if (name.IsEmpty || name is "." or "..")
                throw new ArgumentException($"\"{path}\" is not a clean relative path", nameof(path));
        }
    }
}
