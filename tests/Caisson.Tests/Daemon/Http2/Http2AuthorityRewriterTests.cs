using Caisson.Daemon.Http2;
using Caisson.Tests.Daemon.Http2.Support;

namespace Caisson.Tests.Daemon.Http2;

public sealed class Http2AuthorityRewriterTests
{
    private const string SocketPath = "/run/caisson/caisson.sock";

    [Fact]
    public async Task Replaces_a_path_authority_and_passes_everything_else_through()
    {
        var encoder = new TestHpackEncoder(huffman: true);
        byte[][] otherFrames =
        [
            TestFrames.Settings((0x2, 0), (0x4, 4 * 1024 * 1024)),
            TestFrames.Frame(Http2FrameType.WindowUpdate, 0, 0, [0x00, 0x0f, 0x00, 0x01]),
            TestFrames.Data(1, TestFrames.GrpcMessage([]), endStream: true),
            TestFrames.Data(3, TestFrames.GrpcMessage([0x0a, 0x01, 0x41]), endStream: true),
            TestFrames.Frame(Http2FrameType.Ping, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
        ];
        byte[] input = TestFrames.Concat(
            TestFrames.Preface,
            otherFrames[0],
            otherFrames[1],
            TestFrames.Headers(1, encoder.Encode(GrpcRequest(SocketPath)), endStream: false),
            otherFrames[2],
            // The second block refers to the first one's fields through the dynamic table.
            TestFrames.Headers(3, encoder.Encode(GrpcRequest(SocketPath)), endStream: false),
            otherFrames[3],
            otherFrames[4]);

        var view = ServerView.Parse(await RewriterHarness.RewriteThroughPipesAsync(input));

        Assert.Equal(otherFrames, view.Frames.Where(f => f.Header.Type != Http2FrameType.Headers)
            .Select(f => TestFrames.Frame(f.Header.Type, f.Header.Flags, f.Header.StreamId, f.Payload)));
        Assert.Equal([1, 3], view.HeaderBlocks.Select(b => b.StreamId));
        Assert.All(view.HeaderBlocks, block =>
        {
            Assert.Equal(GrpcRequest("localhost"), block.Fields);
            Assert.False(block.EndStream);
        });
        Assert.Equal(0, view.ServerTableCount);
    }

    [Theory]
    [InlineData("valid authority kept, path host replaced", "localhost:10010", SocketPath, "localhost:10010", "localhost")]
    [InlineData("path authority replaced, valid host kept", SocketPath, "node1", "localhost", "node1")]
    [InlineData("empty authority replaced", "", "", "localhost", "localhost")]
    public async Task Normalizes_authority_and_host_independently(
        string description, string authority, string host, string expectedAuthority, string expectedHost)
    {
        Assert.False(string.IsNullOrEmpty(description));
        var encoder = new TestHpackEncoder(huffman: false);
        byte[] input = TestFrames.Concat(
            TestFrames.Preface,
            TestFrames.Headers(1, encoder.Encode([.. GrpcRequest(authority), ("host", host)]), endStream: true));

        var view = ServerView.Parse(await RewriterHarness.RewriteThroughPipesAsync(input));

        Assert.Equal([.. GrpcRequest(expectedAuthority), ("host", expectedHost)], view.HeaderBlocks.Single().Fields);
        Assert.True(view.HeaderBlocks.Single().EndStream);
    }

    [Theory]
    [InlineData("Kestrel's default frame size", 16 * 1024)]
    [InlineData("a larger advertised frame size", 20_000)]
    public async Task Splits_a_large_block_into_CONTINUATION_frames_within_the_frame_size(string description, int maxFrameSize)
    {
        Assert.False(string.IsNullOrEmpty(description));
        (string, string)[] fields = [.. GrpcRequest(SocketPath), ("x-big", new string('b', 40_000)), ("x-after", "tail")];
        byte[] block = new TestHpackEncoder(huffman: false).Encode(fields);
        // The client sends it as HEADERS + CONTINUATION + CONTINUATION of at most 16 KiB each.
        byte[] input = TestFrames.Concat(
            TestFrames.Preface,
            TestFrames.Headers(5, block.AsSpan(0, 16_384), endStream: true, endHeaders: false),
            TestFrames.Continuation(5, block.AsSpan(16_384, 16_384), endHeaders: false),
            TestFrames.Continuation(5, block.AsSpan(32_768), endHeaders: true));
        var limits = Http2RewriterLimits.Default with { MaxFrameSize = maxFrameSize };

        var view = ServerView.Parse(await RewriterHarness.RewriteThroughPipesAsync(input, limits: limits));

        var rewritten = view.HeaderBlocks.Single();
        Assert.Equal([.. GrpcRequest("localhost"), ("x-big", new string('b', 40_000)), ("x-after", "tail")], rewritten.Fields);
        Assert.True(rewritten.EndStream);
        Assert.True(rewritten.FrameSizes.Count >= 3);
        Assert.All(rewritten.FrameSizes[..^1], size => Assert.Equal(maxFrameSize, size));
        Assert.InRange(rewritten.FrameSizes[^1], 1, maxFrameSize);
        Assert.All(view.Frames.Skip(1), f => Assert.Equal(Http2FrameType.Continuation, f.Header.Type));
    }

    [Fact]
    public async Task Drops_padding_and_keeps_priority()
    {
        byte[] block = new TestHpackEncoder(huffman: true).Encode(GrpcRequest(SocketPath));
        byte[] priority = [0x80, 0x00, 0x00, 0x03, 200]; // exclusive, depends on stream 3, weight 201
        const byte padLength = 7;
        byte[] payload = [padLength, .. priority, .. block, .. new byte[padLength]];
        byte flags = Http2FrameFlags.Padded | Http2FrameFlags.Priority | Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream;
        byte[] input = TestFrames.Concat(TestFrames.Preface, TestFrames.Frame(Http2FrameType.Headers, flags, 7, payload));

        var view = ServerView.Parse(await RewriterHarness.RewriteThroughPipesAsync(input));

        var frame = view.Frames.Single().Header;
        Assert.Equal(Http2FrameFlags.Priority | Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, frame.Flags);
        Assert.Equal(priority, view.HeaderBlocks.Single().Priority);
        Assert.Equal(GrpcRequest("localhost"), view.HeaderBlocks.Single().Fields);
    }

    [Fact]
    public async Task Gives_the_same_output_whatever_the_read_boundaries()
    {
        byte[] input = MixedConnection();
        byte[] whole = await RewriterHarness.RewriteThroughPipesAsync(input);

        Assert.Equal(whole, await RewriterHarness.RewriteThroughPipesAsync(input, chunkSize: 1));
        Assert.Equal(whole, await RewriterHarness.RewriteThroughPipesAsync(input, chunkSize: 7));
        Assert.Equal(whole, RewriterHarness.RewriteOctetByOctet(input));
        Assert.Equal(whole, RewriterHarness.RewriteSegmented(input, segmentSize: 1));
        Assert.Equal(whole, RewriterHarness.RewriteSegmented(input, segmentSize: 10));
        // And that output is right, not merely stable.
        var view = ServerView.Parse(whole);
        Assert.Equal(4, view.HeaderBlocks.Count);
        Assert.All(view.HeaderBlocks, b => Assert.Equal("localhost", b.Fields.Single(f => f.Name == ":authority").Value));
    }

    [Theory]
    [InlineData("HTTP/1.1 request", "GET / HTTP/1.1\r\nHost: /run/caisson.sock\r\n\r\n")]
    [InlineData("preface that diverges late", "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n and more")]
    [InlineData("shorter than a preface", "PRI")]
    public async Task Passes_input_without_the_client_preface_through_unchanged(string description, string text)
    {
        Assert.False(string.IsNullOrEmpty(description));
        byte[] input = System.Text.Encoding.ASCII.GetBytes(text);

        Assert.Equal(input, await RewriterHarness.RewriteThroughPipesAsync(input));
        Assert.Equal(input, await RewriterHarness.RewriteThroughPipesAsync(input, chunkSize: 1));
    }

    private static (string Name, string Value)[] GrpcRequest(string authority) =>
    [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", "/runtime.v1.RuntimeService/Version"),
        (":authority", authority),
        ("content-type", "application/grpc"),
        ("user-agent", "grpc-go/1.60.1"),
        ("te", "trailers"),
    ];

    /// <summary>Several requests with every frame kind the rewriter treats differently.</summary>
    internal static byte[] MixedConnection()
    {
        // Blocks are encoded in wire order: each may refer to the dynamic table entries of the ones before.
        var encoder = new TestHpackEncoder(huffman: true);
        byte[] first = encoder.Encode(GrpcRequest(SocketPath));
        byte[] big = encoder.Encode([.. GrpcRequest(SocketPath), ("x-big", new string('q', 20_000))]);
        byte[] padded = encoder.Encode(GrpcRequest(SocketPath));
        byte[] last = encoder.Encode(GrpcRequest(SocketPath));
        return TestFrames.Concat(
            TestFrames.Preface,
            TestFrames.Settings((0x2, 0)),
            TestFrames.Headers(1, first, endStream: false),
            TestFrames.Data(1, TestFrames.GrpcMessage(new byte[100]), endStream: true),
            TestFrames.Headers(3, big.AsSpan(0, 10_000), endStream: false, endHeaders: false),
            TestFrames.Continuation(3, big.AsSpan(10_000, 5), endHeaders: false),
            TestFrames.Continuation(3, big.AsSpan(10_005), endHeaders: true),
            TestFrames.Data(3, [], endStream: true),
            TestFrames.Frame(Http2FrameType.Headers, Http2FrameFlags.Padded | Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders,
                5, [3, .. padded, 0, 0, 0]),
            TestFrames.Frame((Http2FrameType)0xfa, 0xff, 0, [9, 9, 9]), // unknown frame type: passed through
            TestFrames.Headers(7, last, endStream: true),
            TestFrames.Frame(Http2FrameType.RstStream, 0, 7, [0, 0, 0, 8]));
    }
}
