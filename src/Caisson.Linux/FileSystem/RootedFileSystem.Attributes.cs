using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Ownership, permissions, extended attributes and times of existing entries, never through a final symlink.</summary>
public sealed unsafe partial class RootedFileSystem
{
    /// <summary>lchown: a symlink itself gets the owner.</summary>
    public void SetOwner(string path, uint uid, uint gid)
    {
        BeginOperation();
        if (path.Length == 0)
        {
            Syscall.Check(FChownAt(rootFd, "", uid, gid, AT_EMPTY_PATH), "fchownat", "/");
            return;
        }

        var (parentFd, name) = ResolveExisting(path);
        Syscall.Check(FChownAt(parentFd, name, uid, gid, AT_SYMLINK_NOFOLLOW), "fchownat", path);
    }

    /// <summary>Sets the permission bits (setuid/setgid/sticky included); a symlink is left alone, its mode means nothing.</summary>
    public void SetPermissions(string path, uint mode)
    {
        BeginOperation();
        mode &= 0xFFF;
        if (path.Length == 0)
        {
            Syscall.Check(FChmodAt(AT_FDCWD, Syscall.ProcPath(rootFd), mode, 0), "chmod", "/");
            return;
        }

        var (parentFd, name) = ResolveExisting(path);
        if (!fchmodAt2Unavailable)
        {
            if (FChmodAt2(parentFd, name, mode, AT_SYMLINK_NOFOLLOW) == 0)
                return;
            var errno = Syscall.LastError;
            if (errno == Errno.EOPNOTSUPP)
                return;
            if (errno != Errno.ENOSYS)
                throw Errno.Exception(errno, "fchmodat2", path);
            fchmodAt2Unavailable = true;
        }

        // Before Linux 6.6: pin the entry with O_PATH|O_NOFOLLOW and chmod it through its /proc name.
        var fd = Syscall.Check(OpenAt(parentFd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0), "openat", path);
        try
        {
            Syscall.Check(StatxAt(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out var status), "statx", path);
            if ((status.Mode & S_IFMT) != S_IFLNK)
                Syscall.Check(FChmodAt(AT_FDCWD, Syscall.ProcPath(fd), mode, 0), "chmod", path);
        }
        finally
        {
            Syscall.CloseQuietly(fd);
        }
    }

    /// <summary>lsetxattr on the entry itself; false when the file system does not support that attribute's namespace.</summary>
    public bool SetExtendedAttribute(string path, string name, ReadOnlySpan<byte> value)
    {
        BeginOperation();
        if (path.Length == 0)
            return SetExtendedAttributeOnDirectoryFd(rootFd, "/", name, value);

        var (parentFd, entryName) = ResolveExisting(path);
        // The parent's /proc name resolves to that very directory; the last component is not followed.
        fixed (byte* p = value)
        {
            var result = LSetXattr($"{Syscall.ProcPath(parentFd)}/{entryName}", name, p, (nuint)value.Length, 0);
            return Syscall.CheckXattr(result, "lsetxattr " + name, path);
        }
    }

    /// <summary>
    /// Sets an extended attribute on the directory at <paramref name="directoryPath"/>, resolved (and created
    /// when missing) the way a parent directory is: symlinks on the way are followed inside the root.
    /// </summary>
    public bool SetDirectoryExtendedAttribute(string directoryPath, string name, ReadOnlySpan<byte> value)
    {
        BeginOperation();
        ValidateRelative(directoryPath);
        var directoryFd = ResolveDirectory(directoryPath, create: true);
        return SetExtendedAttributeOnDirectoryFd(directoryFd, directoryPath, name, value);
    }

    /// <summary>utimensat without following a final symlink.</summary>
    public void SetTimes(string path, UnixTimestamp access, UnixTimestamp modification)
    {
        BeginOperation();
        var times = stackalloc TimeSpec[2];
        times[0] = access.ToTimeSpec();
        times[1] = modification.ToTimeSpec();
        if (path.Length == 0)
        {
            Syscall.Check(UtimensAt(AT_FDCWD, Syscall.ProcPath(rootFd), times, 0), "utimensat", "/");
            return;
        }

        var (parentFd, name) = ResolveExisting(path);
        Syscall.Check(UtimensAt(parentFd, name, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    private (int ParentFd, string Name) ResolveExisting(string path)
    {
        var entry = ResolveEntry(path, createParents: false);
        if (entry.ParentFd < 0)
            throw new NotFoundException($"\"{path}\" does not exist");
        return entry;
    }

    private static bool SetExtendedAttributeOnDirectoryFd(int directoryFd, string displayPath, string name, ReadOnlySpan<byte> value)
    {
        // An O_PATH fd refuses fsetxattr; its /proc name leads to the directory itself.
        fixed (byte* p = value)
        {
            var result = SetXattr(Syscall.ProcPath(directoryFd), name, p, (nuint)value.Length, 0);
            return Syscall.CheckXattr(result, "setxattr " + name, displayPath);
        }
    }
}
