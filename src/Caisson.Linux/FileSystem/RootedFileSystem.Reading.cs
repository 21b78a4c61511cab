using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using Microsoft.Win32.SafeHandles;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Reading entries (a lower layer's file to copy up, its attributes).</summary>
public sealed unsafe partial class RootedFileSystem
{
    /// <summary>Opens the regular file at <paramref name="path"/> for reading, never following a final symlink.</summary>
    public FileStream OpenRead(string path)
    {
        BeginOperation();
        var (parentFd, name) = ResolveExisting(path);
        var fd = OpenAt(parentFd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Exception(Syscall.LastError, "openat", path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch (UnauthorizedAccessException e)
        {
            // .NET refuses directories here; anything but a regular file is not ours to read.
            handle.Dispose();
            throw new InvalidArgumentException($"{path} is not a regular file", e);
        }
    }

    /// <summary>The value of an extended attribute of the entry itself, or null when it has none.</summary>
    public byte[]? GetExtendedAttribute(string path, string name)
    {
        BeginOperation();
        var target = path.Length == 0 ? Syscall.ProcPath(rootFd) : EntryProcPath(path);
        var buffer = new byte[256];
        fixed (byte* p = buffer)
        {
            var size = LGetXattr(target, name, p, (nuint)buffer.Length);
            if (size >= 0)
                return buffer[..(int)size];
        }

        var errno = Syscall.LastError;
        if (errno is Errno.ENODATA or Errno.EOPNOTSUPP or Errno.ENOENT)
            return null;
        throw Errno.Exception(errno, "lgetxattr " + name, path);
    }

    private string EntryProcPath(string path)
    {
        var (parentFd, entryName) = ResolveExisting(path);
        return $"{Syscall.ProcPath(parentFd)}/{entryName}";
    }
}
