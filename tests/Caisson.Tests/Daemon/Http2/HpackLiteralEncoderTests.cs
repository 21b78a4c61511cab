using System.Buffers;
using Caisson.Daemon.Http2;
using Caisson.Tests.Daemon.Http2.Support;

namespace Caisson.Tests.Daemon.Http2;

public sealed class HpackLiteralEncoderTests
{
    // RFC 7541 C.1, plus the edges of a prefix.
    [Theory]
    [InlineData("C.1.1 10 with a 5-bit prefix", 10, 5, "0a")]
    [InlineData("C.1.2 1337 with a 5-bit prefix", 1337, 5, "1f 9a 0a")]
    [InlineData("C.1.3 42 with an 8-bit prefix", 42, 8, "2a")]
    [InlineData("one below the 7-bit prefix maximum", 126, 7, "7e")]
    [InlineData("exactly the 7-bit prefix maximum", 127, 7, "7f 00")]
    [InlineData("int.MaxValue", int.MaxValue, 7, "7f 80 ff ff ff 07")]
    public void Encodes_integers_as_RFC_7541_does(string description, int value, int prefixBits, string expectedHex)
    {
        Assert.False(string.IsNullOrEmpty(description));
        var buffer = new byte[8];

        int written = HpackLiteralEncoder.WriteInteger(buffer, value, prefixBits, pattern: 0);

        Assert.Equal(Hex.Parse(expectedHex), buffer[..written]);
        int position = 0;
        Assert.Equal(value, HpackDecoder.ReadInteger(buffer.AsSpan(0, written), ref position, prefixBits));
        Assert.Equal(written, position);
    }

    [Fact]
    public void Writes_literals_without_indexing_that_leave_the_receiver_table_alone()
    {
        var output = new ArrayBufferWriter<byte>();
        HpackLiteralEncoder.WriteField(output, ":path"u8, "/sample/path"u8, neverIndexed: false);
        HpackLiteralEncoder.WriteField(output, "password"u8, "secret"u8, neverIndexed: true);
        HpackLiteralEncoder.WriteField(output, "long"u8, new byte[300], neverIndexed: false);

        var decoder = new HpackDecoder();
        var sink = new CollectingHeaderSink();
        decoder.Decode(output.WrittenSpan, sink);

        Assert.Equal([(":path", "/sample/path"), ("password", "secret"), ("long", new string('\0', 300))], sink.Fields);
        Assert.Equal([false, true, false], sink.NeverIndexed);
        Assert.Equal(0, decoder.DynamicTable.Count);
        // C.2.3 shows the never-indexed form with a literal name byte for byte.
        Assert.Equal(Hex.Parse("1008 7061 7373 776f 7264 0673 6563 7265 74"), output.WrittenSpan.Slice(20, 17).ToArray());
    }
}
