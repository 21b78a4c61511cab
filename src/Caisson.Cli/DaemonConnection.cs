using System.Net.Sockets;
using Caisson.Api.Cri;
using Caisson.Api.V1;
using Grpc.Net.Client;
using SystemService = Caisson.Api.V1.System;

namespace Caisson.Cli;

/// <summary>The gRPC channel to caissond over its unix socket, and the clients the verbs use.</summary>
internal sealed class DaemonConnection : IDisposable
{
    /// <summary>Save streams the archive in chunks the daemon chooses; leave room well above any sane chunk.</summary>
    private const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    private readonly GrpcChannel _channel;

    private DaemonConnection(string socketPath, GrpcChannel channel)
    {
        SocketPath = socketPath;
        _channel = channel;
        Images = new Images.ImagesClient(channel);
        System = new SystemService.SystemClient(channel);
        Runtime = new RuntimeService.RuntimeServiceClient(channel);
    }

    public string SocketPath { get; }

    public Images.ImagesClient Images { get; }

    public SystemService.SystemClient System { get; }

    public RuntimeService.RuntimeServiceClient Runtime { get; }

    public static DaemonConnection Open(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => ConnectAsync(socketPath, cancellationToken),
        };
        // The authority is a placeholder: the socket path decides where we connect.
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxReceiveMessageBytes,
        });
        return new DaemonConnection(socketPath, channel);
    }

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _channel.Dispose();
}
