using System.Runtime.InteropServices;
using Caisson.Core.Errors;

namespace Caisson.Linux.Interop;

/// <summary>Turns errno values into exceptions that name the call and the path.</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int EOPNOTSUPP = 95;

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public static CaissonException Exception(int errno, string call, string? path = null)
    {
        var where = path is null ? call : $"{call} {path}";
        var message = $"{where}: {Describe(errno)} (errno {errno})";
        return errno == ENOENT ? new NotFoundException(message) : new CaissonException(ErrorKind.Internal, message);
    }
}
