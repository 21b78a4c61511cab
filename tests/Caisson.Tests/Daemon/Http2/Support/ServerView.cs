using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>What the server would see of rewritten bytes: the preface, the frames, and the header blocks decoded in
/// order by one fresh decoder, as Kestrel's would be.</summary>
internal sealed class ServerView
{
    public required List<(Http2FrameHeader Header, byte[] Payload)> Frames { get; init; }

    public required List<HeaderBlock> HeaderBlocks { get; init; }

    /// <summary>The server's dynamic table after all blocks: rewritten blocks never add to it.</summary>
    public required int ServerTableCount { get; init; }

    public static ServerView Parse(byte[] output)
    {
        Assert.True(output.AsSpan().StartsWith(TestFrames.Preface), "the client preface comes first");
        var frames = TestFrames.Split(output.AsSpan(TestFrames.Preface.Length));
        var decoder = new HpackDecoder();
        var blocks = new List<HeaderBlock>();
        for (int i = 0; i < frames.Count; i++)
        {
            (Http2FrameHeader header, byte[] payload) = frames[i];
            if (header.Type != Http2FrameType.Headers)
                continue;
            Assert.False(header.HasFlag(Http2FrameFlags.Padded), "rewritten HEADERS carry no padding");
            byte[] priority = header.HasFlag(Http2FrameFlags.Priority) ? payload[..5] : [];
            var block = new List<byte>(payload[priority.Length..]);
            var sizes = new List<int> { header.Length };
            bool endHeaders = header.HasFlag(Http2FrameFlags.EndHeaders);
            while (!endHeaders)
            {
                (Http2FrameHeader next, byte[] fragment) = frames[++i];
                Assert.Equal(Http2FrameType.Continuation, next.Type);
                Assert.Equal(header.StreamId, next.StreamId);
                block.AddRange(fragment);
                sizes.Add(next.Length);
                endHeaders = next.HasFlag(Http2FrameFlags.EndHeaders);
            }

            blocks.Add(new HeaderBlock(
                header.StreamId,
                header.HasFlag(Http2FrameFlags.EndStream),
                priority,
                sizes,
                CollectingHeaderSink.Decode(decoder, block.ToArray())));
        }

        return new ServerView { Frames = frames, HeaderBlocks = blocks, ServerTableCount = decoder.DynamicTable.Count };
    }

    public sealed record HeaderBlock(
        int StreamId, bool EndStream, byte[] Priority, List<int> FrameSizes, List<(string Name, string Value)> Fields);
}
