using System.Net.Sockets;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cli;

/// <summary>Turns any failure into the one line printed after "caisson: " — never a stack trace.</summary>
internal static class ErrorMessages
{
    public static string Describe(Exception error, string socketPath) => error switch
    {
        RpcException rpc when FindSocketError(rpc) is { } socketError => DescribeConnectFailure(socketError, socketPath),
        RpcException rpc when !string.IsNullOrWhiteSpace(rpc.Status.Detail) => rpc.Status.Detail,
        RpcException rpc => $"the daemon answered {rpc.StatusCode} with no detail",
        CaissonException or IOException or UnauthorizedAccessException => error.Message,
        _ => $"unexpected {error.GetType().Name}: {error.Message}",
    };

    /// <summary>A call that failed because nothing answered on the socket, as opposed to an error from the daemon.</summary>
    private static SocketException? FindSocketError(RpcException rpc)
    {
        if (rpc.StatusCode != StatusCode.Unavailable)
            return null;
        for (var e = rpc.Status.DebugException ?? rpc.InnerException; e is not null; e = e.InnerException)
        {
            if (e is SocketException socketError)
                return socketError;
        }
        return null;
    }

    private static string DescribeConnectFailure(SocketException error, string socketPath)
    {
        const string Hint = "check that caissond is running (systemctl status caissond) or pass --address";
        if (!File.Exists(socketPath))
            return $"cannot connect to caissond: socket {socketPath} does not exist; {Hint}";
        return error.SocketErrorCode switch
        {
            SocketError.ConnectionRefused =>
                $"cannot connect to caissond at {socketPath}: connection refused (stale socket?); {Hint}",
            SocketError.AccessDenied =>
                $"cannot connect to caissond at {socketPath}: permission denied; run as root or as a member of the socket's group",
            _ => $"cannot connect to caissond at {socketPath}: {error.Message}; {Hint}",
        };
    }
}
