using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Looking up, creating and removing entries. Creation makes missing parent directories (0755).</summary>
public sealed partial class RootedFileSystem
{
    /// <summary>lstat of <paramref name="path"/>; false when it (or a directory on the way) does not exist.</summary>
    public bool TryGetStatus(string path, out FileStatus status)
    {
        BeginOperation();
        status = default;
        int result;
        Statx statx;
        if (path.Length == 0)
        {
            result = StatxAt(rootFd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out statx);
        }
        else
        {
            var (parentFd, name) = ResolveEntry(path, createParents: false);
            if (parentFd < 0)
                return false;
            result = StatxAt(parentFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out statx);
        }

        if (result < 0)
        {
            var errno = Syscall.LastError;
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
                return false;
            throw Errno.Exception(errno, "statx", path);
        }

        status = FileStatus.From(statx);
        return true;
    }

    /// <summary>Removes <paramref name="path"/>, recursively for a directory; false when it did not exist.</summary>
    public bool Remove(string path)
    {
        BeginOperation();
        var (parentFd, name) = ResolveEntry(path, createParents: false);
        return parentFd >= 0 && RemoveEntry(parentFd, name, path);
    }

    /// <summary>The names in the directory at <paramref name="directoryPath"/> (resolved in the root); empty when absent.</summary>
    public List<string> ListDirectory(string directoryPath)
    {
        BeginOperation();
        ValidateRelative(directoryPath);
        var directoryFd = ResolveDirectory(directoryPath, create: false);
        if (directoryFd < 0)
            return [];
        var listingFd = Syscall.Check(OpenAt(directoryFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), "openat", directoryPath);
        try
        {
            return DirectoryListing.Read(listingFd, directoryPath)
                .ConvertAll(entry => System.Text.Encoding.UTF8.GetString(entry.Name.AsSpan(0, entry.Name.Length - 1)));
        }
        finally
        {
            Syscall.CloseQuietly(listingFd);
        }
    }

    /// <summary>Makes sure a directory exists at <paramref name="directoryPath"/>, resolving symlinks on the way in the root.</summary>
    public void EnsureDirectory(string directoryPath)
    {
        BeginOperation();
        ValidateRelative(directoryPath);
        ResolveDirectory(directoryPath, create: true);
    }

    /// <summary>
    /// Creates a directory (mode 0700 until the caller sets it). An existing directory is kept and false
    /// returned; anything else at the path is replaced.
    /// </summary>
    public bool CreateDirectory(string path)
    {
        BeginOperation();
        var (parentFd, name) = ResolveEntry(path, createParents: true);
        if (MkdirAt(parentFd, name, 0x1C0 /* 0700 */) == 0)
            return true;
        var errno = Syscall.LastError;
        if (errno != Errno.EEXIST)
            throw Errno.Exception(errno, "mkdirat", path);
        Syscall.Check(StatxAt(parentFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var existing), "statx", path);
        if ((existing.Mode & S_IFMT) == S_IFDIR)
            return false;
        RemoveEntry(parentFd, name, path);
        Syscall.Check(MkdirAt(parentFd, name, 0x1C0 /* 0700 */), "mkdirat", path);
        return true;
    }

    /// <summary>Creates an empty regular file (mode 0600 until set), replacing whatever is at the path.</summary>
    public CreatedFile CreateFile(string path)
    {
        BeginOperation();
        var (parentFd, name) = ResolveEntry(path, createParents: true);
        const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
        var fd = CreateReplacing(path, parentFd, name, "openat",
            static (dir, entryName, _) => OpenAt(dir, entryName, flags | O_NOFOLLOW, 0x180 /* 0600 */), (object?)null);
        return new CreatedFile(fd, path);
    }

    /// <summary>Creates a symlink holding <paramref name="target"/> verbatim, replacing whatever is at the path.</summary>
    public void CreateSymbolicLink(string path, string target)
    {
        BeginOperation();
        var (parentFd, name) = ResolveEntry(path, createParents: true);
        CreateReplacing(path, parentFd, name, "symlinkat",
            static (dir, entryName, linkTarget) => SymlinkAt(linkTarget, dir, entryName), target);
    }

    /// <summary>Creates a device node or FIFO with no permissions (set them after), replacing whatever is at the path.</summary>
    public void CreateNode(string path, FileKind kind, uint major, uint minor)
    {
        var type = kind switch
        {
            FileKind.CharacterDevice => S_IFCHR,
            FileKind.BlockDevice => S_IFBLK,
            FileKind.Fifo => S_IFIFO,
            _ => throw new ArgumentException($"{kind} is not a node kind", nameof(kind)),
        };
        BeginOperation();
        var (parentFd, name) = ResolveEntry(path, createParents: true);
        var device = kind == FileKind.Fifo ? 0 : MakeDevice(major, minor);
        CreateReplacing(path, parentFd, name, "mknodat",
            static (dir, entryName, node) => MknodAt(dir, entryName, node.Type, node.Device), (Type: type, Device: device));
    }

    /// <summary>
    /// Creates a hard link at <paramref name="path"/> to the existing non-directory at
    /// <paramref name="existingPath"/> (itself, not a symlink's target), replacing whatever is at the path.
    /// </summary>
    public void CreateHardLink(string path, string existingPath)
    {
        BeginOperation();
        var (existingParentFd, existingName) = ResolveEntry(existingPath, createParents: false);
        if (existingParentFd < 0
            || StatxAt(existingParentFd, existingName, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var existing) < 0)
        {
            throw new NotFoundException($"hard link target \"{existingPath}\" does not exist");
        }

        if ((existing.Mode & S_IFMT) == S_IFDIR)
            throw new InvalidArgumentException($"hard link target \"{existingPath}\" is a directory");

        // Resolving the new parent may add to the cache but never closes existingParentFd (see BeginOperation).
        var (parentFd, name) = ResolveEntry(path, createParents: true);
        CreateReplacing(path, parentFd, name, "linkat",
            static (dir, entryName, source) => LinkAt(source.Fd, source.Name, dir, entryName, 0),
            (Fd: existingParentFd, Name: existingName));
    }

    /// <summary>Runs a create call; if the name is taken, removes what is there (recursively) and tries once more.</summary>
    private int CreateReplacing<TState>(
        string path, int parentFd, string name, string call, Func<int, string, TState, int> create, TState state)
    {
        var result = create(parentFd, name, state);
        if (result >= 0)
            return result;
        var errno = Syscall.LastError;
        if (errno != Errno.EEXIST)
            throw Errno.Exception(errno, call, path);
        RemoveEntry(parentFd, name, path);
        return Syscall.Check(create(parentFd, name, state), call, path);
    }

    private bool RemoveEntry(int parentFd, string name, string path)
    {
        // Only a directory or a symlink can be a step in a cached resolution; removing a file keeps the cache.
        if (StatxAt(parentFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var existing) < 0)
        {
            var errno = Syscall.LastError;
            if (errno == Errno.ENOENT)
                return false;
            throw Errno.Exception(errno, "statx", path);
        }

        var type = existing.Mode & S_IFMT;
        TreeRemover.Remove(parentFd, name, path);
        if (type is S_IFDIR or S_IFLNK)
            RetireCache();
        return true;
    }
}
