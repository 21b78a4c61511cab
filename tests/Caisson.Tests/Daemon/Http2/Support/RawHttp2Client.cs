using System.Buffers.Binary;
using System.Net.Sockets;
using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>A minimal HTTP/2 client over a unix socket that writes frames byte for byte as a test says, encoding
/// request headers like grpc-go (<see cref="TestHpackEncoder"/>), so it can send what real clients send and
/// Grpc.Net.Client never would: the socket path as <c>:authority</c>.</summary>
internal sealed class RawHttp2Client : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly HpackDecoder _responseDecoder = new();

    private RawHttp2Client(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public TestHpackEncoder RequestEncoder { get; } = new(huffman: true);

    /// <summary>Connects and sends the client preface and an empty SETTINGS frame.</summary>
    public static async Task<RawHttp2Client> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        var client = new RawHttp2Client(socket);
        await client.SendAsync(TestFrames.Concat(TestFrames.Preface, TestFrames.Settings()));
        return client;
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a unary gRPC request (HEADERS, then one DATA with END_STREAM) and reads until it ends.</summary>
    public async Task<StreamResult> CallAsync(int streamId, (string Name, string Value)[] headers, byte[] message)
    {
        await SendAsync(TestFrames.Concat(
            TestFrames.Headers(streamId, RequestEncoder.Encode(headers), endStream: false),
            TestFrames.Data(streamId, TestFrames.GrpcMessage(message), endStream: true)));
        return await ReadStreamAsync(streamId);
    }

    /// <summary>Reads frames, answering SETTINGS and PING, until stream <paramref name="streamId"/> ends (END_STREAM or
    /// RST_STREAM), a GOAWAY arrives, or the server closes the connection.</summary>
    public async Task<StreamResult> ReadStreamAsync(int streamId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var result = new StreamResult();
        while (true)
        {
            (Http2FrameHeader Header, byte[] Payload)? frame = await ReadFrameAsync(timeout.Token);
            if (frame is null)
            {
                result.ConnectionClosed = true;
                return result;
            }

            (Http2FrameHeader header, byte[] payload) = frame.Value;
            bool ours = header.StreamId == streamId;
            switch (header.Type)
            {
                case Http2FrameType.Settings when !header.HasFlag(Http2FrameFlags.Ack):
                    await AnswerAsync(TestFrames.SettingsAck());
                    break;
                case Http2FrameType.Ping when !header.HasFlag(Http2FrameFlags.Ack):
                    await AnswerAsync(TestFrames.Frame(Http2FrameType.Ping, Http2FrameFlags.Ack, 0, payload));
                    break;
                case Http2FrameType.Headers:
                    // Every response block goes through the decoder, in order, to keep its table in step.
                    Assert.True(header.HasFlag(Http2FrameFlags.EndHeaders), "the test server sends small header blocks");
                    var fields = CollectingHeaderSink.Decode(_responseDecoder, payload);
                    if (ours)
                        result.HeaderBlocks.Add(fields);
                    if (ours && header.HasFlag(Http2FrameFlags.EndStream))
                        return result;
                    break;
                case Http2FrameType.Data when ours:
                    result.Data.AddRange(payload);
                    if (header.HasFlag(Http2FrameFlags.EndStream))
                        return result;
                    break;
                case Http2FrameType.RstStream when ours:
                    result.ResetCode = BinaryPrimitives.ReadUInt32BigEndian(payload);
                    return result;
                case Http2FrameType.GoAway:
                    result.GoAwayCode = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
                    return result;
            }
        }
    }

    // A server closing on a connection error may already be gone: the answer does not matter then.
    private async Task AnswerAsync(byte[] frame)
    {
        try
        {
            await SendAsync(frame);
        }
        catch (IOException)
        {
        }
    }

    /// <returns>Null once the server has closed the connection (a reset, after a server closes a unix socket with
    /// our bytes unread, counts as closed: what it sent before stays readable).</returns>
    private async Task<(Http2FrameHeader, byte[])?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        try
        {
            var headerBytes = new byte[Http2FrameHeader.Size];
            int read = await _stream.ReadAtLeastAsync(headerBytes, headerBytes.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < headerBytes.Length)
                return null;
            var header = Http2FrameHeader.Read(headerBytes);
            var payload = new byte[header.Length];
            await _stream.ReadExactlyAsync(payload, cancellationToken);
            return (header, payload);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    public sealed class StreamResult
    {
        public List<List<(string Name, string Value)>> HeaderBlocks { get; } = [];

        public List<byte> Data { get; } = [];

        public uint? ResetCode { get; set; }

        public uint? GoAwayCode { get; set; }

        public bool ConnectionClosed { get; set; }

        public string? Header(int block, string name) =>
            HeaderBlocks.Count > block ? HeaderBlocks[block].FirstOrDefault(f => f.Name == name).Value : null;
    }
}
