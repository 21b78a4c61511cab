using System.Runtime.InteropServices;
using Caisson.Core.Errors;

namespace Caisson.Linux.Interop;

/// <summary>Turns errno values into exceptions that name the call and the path.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int EDQUOT = 122;

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public static CaissonException Exception(int errno, string call, string? path = null)
    {
        var where = path is null ? call : $"{call} {path}";
        var message = $"{where}: {Describe(errno)} (errno {errno})";
        return errno switch
        {
            ENOENT => new NotFoundException(message),
            EEXIST => new AlreadyExistsException(message),
            // A path that cannot be walked (a file where a directory is needed, a symlink loop, a name too
            // long) is a bad argument, not a fault of ours.
            ENOTDIR or ELOOP or ENAMETOOLONG => new InvalidArgumentException(message),
            EPERM or EACCES => new CaissonException(ErrorKind.PermissionDenied, message),
            ENOSPC or EDQUOT => new CaissonException(ErrorKind.ResourceExhausted, message),
            _ => new CaissonException(ErrorKind.Internal, message),
        };
    }
}
