using System.Net.Sockets;
using Caisson.Core.Errors;

namespace Caisson.Daemon.Hosting;

/// <summary>Prepares the socket path: a 0700 directory, and no stale socket file (but never steal a live one).</summary>
internal static class UnixSocket
{
    public static void PrepareToListen(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!File.Exists(path))
            return;
        if (IsServed(path))
            throw new FailedPreconditionException($"socket {path} is already served by another process");
        File.Delete(path);
    }

    public static bool IsServed(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Owner read/write, group read/write for the configured group (0660).</summary>
    public static void SetPermissions(string path, int gid)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        if (gid != 0)
            Linux.Interop.Ownership.Chown(path, 0, gid);
    }
}
