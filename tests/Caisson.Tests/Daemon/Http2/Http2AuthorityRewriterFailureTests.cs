using System.Buffers;
using System.IO.Pipelines;
using Caisson.Daemon.Http2;
using Caisson.Tests.Daemon.Http2.Support;

namespace Caisson.Tests.Daemon.Http2;

public sealed class Http2AuthorityRewriterFailureTests
{
    private static readonly byte[] ValidBlock = new TestHpackEncoder(huffman: false).Encode(
        (":method", "POST"), (":scheme", "http"), (":path", "/x"), (":authority", "/run/x.sock"));

    // What the server must reject: HEADERS on stream 0 with no payload, a PROTOCOL_ERROR for the connection.
    private static readonly byte[] RejectedFrame = TestFrames.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 0, []);

    [Theory]
    [InlineData("HPACK index 0")]
    [InlineData("HPACK index beyond the dynamic table")]
    [InlineData("HPACK table size update above the advertised size")]
    [InlineData("CONTINUATION without HEADERS")]
    [InlineData("DATA inside a header block")]
    [InlineData("HEADERS inside a header block")]
    [InlineData("CONTINUATION for another stream")]
    [InlineData("padding longer than the frame")]
    [InlineData("PADDED flag on an empty frame")]
    [InlineData("PRIORITY fields cut short")]
    [InlineData("HEADERS on stream 0")]
    [InlineData("HEADERS frame above the frame size")]
    [InlineData("header block above the header list limit")]
    public async Task Ends_the_connection_with_a_frame_the_server_rejects(string malformation)
    {
        byte[] settings = TestFrames.Settings();
        byte[] input = TestFrames.Concat(
            TestFrames.Preface,
            settings,
            Malformed(malformation),
            // Nothing after the malformed frame may reach the server.
            TestFrames.Data(1, [1, 2, 3], endStream: true),
            TestFrames.Headers(9, ValidBlock, endStream: true));
        var limits = Http2RewriterLimits.Default with { MaxHeaderListSize = 20_000 };

        var logger = new ListLogger();

        byte[] expected = TestFrames.Concat(TestFrames.Preface, settings, RejectedFrame);
        Assert.Equal(expected, await RewriterHarness.RewriteThroughPipesAsync(input, limits: limits, logger: logger));
        Assert.StartsWith("Debug: Connection test: malformed HTTP/2 input (", Assert.Single(logger.Messages), StringComparison.Ordinal);
        Assert.Equal(expected, await RewriterHarness.RewriteThroughPipesAsync(input, chunkSize: 3, limits: limits));
    }

    [Fact]
    public async Task After_malformed_input_ends_the_server_side_but_keeps_the_client_side_until_stopped()
    {
        // Completing the client side would make Kestrel think the client left and drop its GOAWAY.
        using var pumped = new PumpedRewriter();
        (Pipe client, Pipe server) = (pumped.Client, pumped.Server);

        await client.Writer.WriteAsync(TestFrames.Concat(TestFrames.Preface, TestFrames.Headers(1, [0x80], endStream: true)));
        byte[] output = await RewriterHarness.ReadToEndAsync(server.Reader);
        FlushResult stillOpen = await client.Writer.WriteAsync(TestFrames.Data(1, new byte[100_000], endStream: false));

        Assert.Equal(TestFrames.Concat(TestFrames.Preface, RejectedFrame), output);
        Assert.False(stillOpen.IsCompleted);
        Assert.False(pumped.Run.IsCompleted);

        client.Reader.CancelPendingRead();
        await pumped.WaitForEndAsync();
        Assert.True((await client.Writer.WriteAsync(new byte[1])).IsCompleted);
    }

    [Fact]
    public async Task Stops_and_releases_the_client_side_when_the_server_stops_reading()
    {
        using var pumped = new PumpedRewriter();
        (Pipe client, Pipe server) = (pumped.Client, pumped.Server);
        await client.Writer.WriteAsync(TestFrames.Concat(TestFrames.Preface, TestFrames.Settings()));

        await server.Reader.CompleteAsync();
        await client.Writer.WriteAsync(TestFrames.Data(1, new byte[10], endStream: false));

        await pumped.WaitForEndAsync();
        // The rewriter completed its reader of the client side: further writes are refused.
        FlushResult flush = await client.Writer.WriteAsync(new byte[1]);
        Assert.True(flush.IsCompleted);
    }

    [Fact]
    public async Task Hands_a_transport_error_to_the_server()
    {
        using var pumped = new PumpedRewriter();
        (Pipe client, Pipe server) = (pumped.Client, pumped.Server);
        await client.Writer.WriteAsync(TestFrames.Preface);

        await client.Writer.CompleteAsync(new IOException("connection reset by peer"));

        await pumped.WaitForEndAsync();
        var exception = await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (true)
            {
                ReadResult result = await server.Reader.ReadAsync();
                server.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        });
        Assert.Equal("connection reset by peer", exception.Message);
    }

    [Fact]
    public async Task A_canceled_read_stops_the_pump_and_completes_the_server_side()
    {
        using var pumped = new PumpedRewriter();
        (Pipe client, Pipe server) = (pumped.Client, pumped.Server);
        await client.Writer.WriteAsync(TestFrames.Preface);
        ReadResult forwarded = await server.Reader.ReadAsync();
        Assert.Equal(TestFrames.Preface, forwarded.Buffer.ToArray());
        server.Reader.AdvanceTo(forwarded.Buffer.End);

        client.Reader.CancelPendingRead();

        await pumped.WaitForEndAsync();
        Assert.Empty(await RewriterHarness.ReadToEndAsync(server.Reader));
    }

    [Fact]
    public async Task Waits_for_a_slow_server_and_loses_nothing()
    {
        // A 1 MiB DATA stream against a server pipe that pauses at 64 KiB: the pump must wait on its flushes.
        using var pumped = new PumpedRewriter(
            serverOptions: new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        (Pipe client, Pipe server) = (pumped.Client, pumped.Server);
        byte[] payload = [.. Enumerable.Range(0, 16_384).Select(i => (byte)i)];
        byte[] input = TestFrames.Concat([TestFrames.Preface, .. Enumerable.Repeat(TestFrames.Data(1, payload, false), 64)]);
        Task feed = RewriterHarness.FeedAsync(client.Writer, input, chunkSize: 100_000);

        var received = new List<byte>();
        while (true)
        {
            ReadResult result = await server.Reader.ReadAsync();
            received.AddRange(result.Buffer.ToArray());
            server.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
            await Task.Delay(1);
        }

        await feed;
        await pumped.WaitForEndAsync();
        Assert.Equal(input, received);
    }

    private static byte[] Malformed(string malformation) => malformation switch
    {
        "HPACK index 0" => TestFrames.Headers(1, [0x80], endStream: true),
        "HPACK index beyond the dynamic table" => TestFrames.Headers(1, [0xbe], endStream: true),
        "HPACK table size update above the advertised size" => TestFrames.Headers(1, [0x3f, 0xe2, 0x1f], endStream: true),
        "CONTINUATION without HEADERS" => TestFrames.Continuation(1, ValidBlock, endHeaders: true),
        "DATA inside a header block" => TestFrames.Concat(
            TestFrames.Headers(1, ValidBlock.AsSpan(0, 5), endStream: false, endHeaders: false),
            TestFrames.Data(1, [1], endStream: false)),
        "HEADERS inside a header block" => TestFrames.Concat(
            TestFrames.Headers(1, ValidBlock.AsSpan(0, 5), endStream: false, endHeaders: false),
            TestFrames.Headers(3, ValidBlock, endStream: true)),
        "CONTINUATION for another stream" => TestFrames.Concat(
            TestFrames.Headers(1, ValidBlock.AsSpan(0, 5), endStream: false, endHeaders: false),
            TestFrames.Continuation(3, ValidBlock.AsSpan(5), endHeaders: true)),
        "padding longer than the frame" => TestFrames.Frame(Http2FrameType.Headers,
            Http2FrameFlags.Padded | Http2FrameFlags.EndHeaders, 1, [.. new byte[] { 200 }, .. ValidBlock]),
        "PADDED flag on an empty frame" => TestFrames.Frame(Http2FrameType.Headers,
            Http2FrameFlags.Padded | Http2FrameFlags.EndHeaders, 1, []),
        "PRIORITY fields cut short" => TestFrames.Frame(Http2FrameType.Headers,
            Http2FrameFlags.Priority | Http2FrameFlags.EndHeaders, 1, [0, 0, 0]),
        "HEADERS on stream 0" => TestFrames.Headers(0, ValidBlock, endStream: true),
        "HEADERS frame above the frame size" => TestFrames.Headers(1, new byte[16_385], endStream: true),
        "header block above the header list limit" => TestFrames.Concat(
            TestFrames.Headers(1, new byte[16_000], endStream: true, endHeaders: false),
            TestFrames.Continuation(1, new byte[5_000], endHeaders: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(malformation), malformation, null),
    };
}
