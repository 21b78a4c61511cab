using System.Net.Sockets;
using Caisson.Api.Cri;
using Caisson.Tests.Daemon.Http2.Support;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Caisson.Tests.Daemon.Http2;

/// <summary>Real Kestrel + Grpc.AspNetCore on a unix socket, driven by raw frames and by Grpc.Net.Client.</summary>
public sealed class AuthorityNormalizationEndToEndTests
{
    private const uint ProtocolError = 0x1;
    private const string VersionPath = "/runtime.v1.RuntimeService/Version";

    [Fact]
    public async Task Calls_with_the_socket_path_as_authority_succeed_through_the_middleware()
    {
        await using var server = await GrpcUnixSocketServer.StartAsync(normalizeAuthority: true);
        await using var client = await RawHttp2Client.ConnectAsync(server.SocketPath);

        // Several calls on one connection: from the second on, grpc-go-style blocks index the authority from the
        // client's dynamic table, which the middleware tracks and the server never sees.
        for (int streamId = 1; streamId <= 9; streamId += 2)
        {
            var result = await client.CallAsync(streamId, GrpcGoRequest(server.SocketPath),
                new VersionRequest { Version = $"v{streamId}" }.ToByteArray());

            Assert.Null(result.ResetCode);
            Assert.Equal("200", result.Header(0, ":status"));
            Assert.Equal("0", result.Header(1, "grpc-status"));
            VersionResponse response = ParseGrpcMessage(result.Data);
            Assert.Equal($"v{streamId}", response.Version);
            Assert.Equal(TestRuntimeService.RuntimeName, response.RuntimeName);
            Assert.Equal("localhost", response.RuntimeVersion); // the authority the service saw
        }

        Assert.Contains(server.Log.Messages, m =>
            m.StartsWith("Debug: ", StringComparison.Ordinal) && m.Contains($"replacing :authority/host '{server.SocketPath}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_middleware_Kestrel_resets_such_a_call_with_PROTOCOL_ERROR()
    {
        await using var server = await GrpcUnixSocketServer.StartAsync(normalizeAuthority: false);
        await using var client = await RawHttp2Client.ConnectAsync(server.SocketPath);

        var rejected = await client.CallAsync(1, GrpcGoRequest(server.SocketPath), []);
        // The same call with a host authority works on the same connection: the path is the whole problem.
        var accepted = await client.CallAsync(3, GrpcGoRequest("localhost"), []);

        Assert.Equal(ProtocolError, rejected.ResetCode);
        Assert.Empty(rejected.HeaderBlocks);
        Assert.Null(accepted.ResetCode);
        Assert.Equal("0", accepted.Header(1, "grpc-status"));
    }

    [Fact]
    public async Task Malformed_HPACK_ends_the_connection_with_a_PROTOCOL_ERROR_GOAWAY()
    {
        await using var server = await GrpcUnixSocketServer.StartAsync(normalizeAuthority: true);
        await using var client = await RawHttp2Client.ConnectAsync(server.SocketPath);

        await client.SendAsync(TestFrames.Headers(1, [0x80], endStream: true)); // index 0 is never valid
        var result = await client.ReadStreamAsync(1);

        Assert.Equal(ProtocolError, result.GoAwayCode);
        Assert.Contains(server.Log.Messages, m => m.Contains("malformed HTTP/2 input", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grpc_Net_Client_calls_work_through_the_middleware_on_one_connection()
    {
        await using var server = await GrpcUnixSocketServer.StartAsync(normalizeAuthority: true);
        int connections = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(server.SocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        var runtime = new RuntimeService.RuntimeServiceClient(channel);

        for (int i = 0; i < 100; i++)
        {
            var response = await runtime.VersionAsync(new VersionRequest { Version = $"sequential-{i}" },
                new Grpc.Core.Metadata { { "x-request", $"r{i}" } });
            Assert.Equal($"sequential-{i}", response.Version);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            runtime.VersionAsync(new VersionRequest { Version = $"concurrent-{i}" }).ResponseAsync));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"concurrent-{i}"), concurrent.Select(r => r.Version));
        Assert.All(concurrent, r => Assert.Equal("localhost", r.RuntimeVersion));
        Assert.Equal(1, connections);
    }

    /// <summary>Header fields in the order and form grpc-go sends them over a unix socket.</summary>
    internal static (string Name, string Value)[] GrpcGoRequest(string authority) =>
    [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", VersionPath),
        (":authority", authority),
        ("content-type", "application/grpc"),
        ("user-agent", "grpc-go/1.60.1"),
        ("te", "trailers"),
        ("grpc-timeout", "9999m"),
    ];

    internal static VersionResponse ParseGrpcMessage(List<byte> data)
    {
        Assert.True(data.Count >= 5, "a gRPC message has a 5-octet prefix");
        Assert.Equal(0, data[0]); // not compressed
        int length = (data[1] << 24) | (data[2] << 16) | (data[3] << 8) | data[4];
        Assert.Equal(data.Count - 5, length);
        return VersionResponse.Parser.ParseFrom(data.GetRange(5, length).ToArray());
    }
}
