using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Shim;

/// <summary>
/// Talks to one container's caisson-shim over its unix socket: a connection per request, one request line
/// out and one reply line (<c>ok ...</c> or <c>error ...</c>) back, each bounded by a timeout.
/// </summary>
public sealed class ShimClient(ShimStateDirectory state, TimeSpan requestTimeout)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    public ShimClient(ShimStateDirectory state)
        : this(state, DefaultRequestTimeout)
    {
    }

    public ShimStateDirectory State { get; } = state;

    public async Task<ShimStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        ShimStatus.Parse(await RequestAsync("status", requestTimeout, cancellationToken));

    /// <summary>Runs <c>runc start</c> in the shim; returns the status once runc has exited.</summary>
    public async Task<ShimStatus> StartAsync(CancellationToken cancellationToken = default) =>
        ShimStatus.Parse(await RequestAsync("start", requestTimeout, cancellationToken));

    /// <summary>Completes when the container has exited (no timeout of its own: cancel to stop waiting).</summary>
    public async Task<ShimStatus> WaitAsync(CancellationToken cancellationToken = default) =>
        ShimStatus.Parse(await RequestAsync("wait", Timeout.InfiniteTimeSpan, cancellationToken));

    /// <summary>Signals the container's init through a pidfd in the shim, so never a reused pid.</summary>
    public async Task SignalAsync(int signal, CancellationToken cancellationToken = default)
    {
        if (signal is < 1 or > 64)
            throw new InvalidArgumentException($"invalid signal {signal}");
        await RequestAsync(string.Create(CultureInfo.InvariantCulture, $"signal {signal}"), requestTimeout, cancellationToken);
    }

    /// <summary>
    /// Signals the container unless it has exited: a container can exit between a status and a signal (its pod's
    /// pause killed, its own end), and the shim refuses to signal an exited one. False when it had exited.
    /// </summary>
    public async Task<bool> SignalUnlessExitedAsync(int signal, CancellationToken cancellationToken = default)
    {
        try
        {
            await SignalAsync(signal, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (FailedPreconditionException)
        {
            if ((await StatusAsync(cancellationToken).ConfigureAwait(false)).State == ShimContainerState.Exited)
                return false;
            throw;
        }
    }

    /// <summary>Makes the shim reopen the log path (after kubelet renamed the file to rotate it).</summary>
    public Task ReopenLogAsync(CancellationToken cancellationToken = default) =>
        RequestAsync("reopen-log", requestTimeout, cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken = default) =>
        RequestAsync("close-stdin", requestTimeout, cancellationToken);

    /// <summary>Asks the shim to exit once the container has exited and its output is in the log.</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default) =>
        RequestAsync("shutdown", requestTimeout, cancellationToken);

    /// <summary>
    /// For removal: kills the container if it has not exited (a created one too, whose init waits for start),
    /// asks the shim to exit, and waits until the shim process has. False when the container or the shim is
    /// still there after <paramref name="timeout"/> (each).
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var process = ShimProcess.Find(State);
        var exited = true;
        if ((await StatusAsync(cancellationToken).ConfigureAwait(false)).State != ShimContainerState.Exited)
        {
            await SignalUnlessExitedAsync(9, cancellationToken).ConfigureAwait(false);
            try
            {
                await WaitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                exited = false;
            }
        }

        await ShutdownAsync(cancellationToken).ConfigureAwait(false);
        return exited && (process is not { } shim || await shim.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A stream whose bytes go to the container's stdin; disposing it leaves stdin open (see <see cref="CloseStdinAsync"/>).</summary>
    public async Task<Stream> OpenStdinAsync(CancellationToken cancellationToken = default)
    {
        var socket = await ConnectAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(requestTimeout);
            await ExchangeAsync(socket, "stdin", timeout.Token, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<string> RequestAsync(string request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
            deadline.CancelAfter(timeout);
        using var socket = await ConnectAsync(deadline.Token);
        return await ExchangeAsync(socket, request, deadline.Token, cancellationToken);
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(State.SocketPath), cancellationToken);
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new CaissonException(ErrorKind.Unavailable, $"shim at {State.SocketPath} is not reachable: {error.Message}", error);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request line and reads the reply line byte by byte, so nothing after it is consumed.</summary>
    private async Task<string> ExchangeAsync(Socket socket, string request, CancellationToken deadline, CancellationToken caller)
    {
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, deadline);
            var reply = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                var count = await socket.ReceiveAsync(one, SocketFlags.None, deadline);
                if (count == 0)
                    throw new CaissonException(ErrorKind.Unavailable, $"shim at {State.SocketPath} closed the connection during '{request}'");
                if (one[0] == (byte)'\n')
                    break;
                if (reply.Count > 64 * 1024)
                    throw new CaissonException(ErrorKind.Internal, $"shim at {State.SocketPath} sent an overlong reply to '{request}'");
                reply.Add(one[0]);
            }

            var line = Encoding.UTF8.GetString(reply.ToArray());
            if (line == "ok" || line.StartsWith("ok ", StringComparison.Ordinal))
                return line.Length > 3 ? line[3..] : "";
            var message = line.StartsWith("error ", StringComparison.Ordinal) ? line[6..] : line;
            throw new FailedPreconditionException($"shim at {State.SocketPath}: {request}: {message}");
        }
        catch (OperationCanceledException error) when (!caller.IsCancellationRequested)
        {
            throw new CaissonException(ErrorKind.DeadlineExceeded, $"shim at {State.SocketPath} did not answer '{request}' in time", error);
        }
        catch (SocketException error)
        {
            throw new CaissonException(ErrorKind.Unavailable, $"shim at {State.SocketPath}: {request}: {error.Message}", error);
        }
    }
}
