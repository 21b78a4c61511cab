using System.Text;
using Caisson.Daemon.Http2;
using Caisson.Tests.Daemon.Http2.Support;

namespace Caisson.Tests.Daemon.Http2;

public sealed class HuffmanDecoderTests
{
    // Every Huffman-coded string of RFC 7541 Appendix C.4 and C.6.
    [Theory]
    [InlineData("C.4.1 authority", "f1e3 c2e5 f23a 6ba0 ab90 f4ff", "www.example.com")]
    [InlineData("C.4.2 cache-control", "a8eb 1064 9cbf", "no-cache")]
    [InlineData("C.4.3 name", "25a8 49e9 5ba9 7d7f", "custom-key")]
    [InlineData("C.4.3 value", "25a8 49e9 5bb8 e8b4 bf", "custom-value")]
    [InlineData("C.6.1 status", "6402", "302")]
    [InlineData("C.6.1 cache-control", "aec3 771a 4b", "private")]
    [InlineData("C.6.1 date", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", "Mon, 21 Oct 2013 20:13:21 GMT")]
    [InlineData("C.6.1 location", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", "https://www.example.com")]
    [InlineData("C.6.2 status", "640e ff", "307")]
    [InlineData("C.6.3 date", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff", "Mon, 21 Oct 2013 20:13:22 GMT")]
    [InlineData("C.6.3 content-encoding", "9bd9 ab", "gzip")]
    [InlineData("C.6.3 set-cookie",
        "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")]
    [InlineData("empty string", "", "")]
    public void Decodes_the_RFC_examples(string description, string encodedHex, string expected)
    {
        Assert.False(string.IsNullOrEmpty(description));
        byte[] encoded = Hex.Parse(encodedHex);

        Assert.Equal(expected, DecodeToString(encoded));
        // The test encoder reproduces the RFC bytes, so the round-trip tests below rest on a checked encoder.
        Assert.Equal(encoded, TestHuffmanEncoder.Encode(Encoding.ASCII.GetBytes(expected)));
    }

    [Fact]
    public void Every_symbol_decodes_to_itself_alone_and_in_sequence()
    {
        var all = new byte[256];
        for (int symbol = 0; symbol < 256; symbol++)
        {
            all[symbol] = (byte)symbol;
            byte[] one = [(byte)symbol];
            Assert.Equal(one, Decode(TestHuffmanEncoder.Encode(one)));
        }

        Assert.Equal(all, Decode(TestHuffmanEncoder.Encode(all)));
        byte[] reversed = [.. all.Reverse()];
        Assert.Equal(reversed, Decode(TestHuffmanEncoder.Encode(reversed)));
    }

    [Fact]
    public void The_code_table_is_a_complete_prefix_code()
    {
        // Kraft's sum is exactly one: every bit string starts with exactly one code, as Appendix B's code does.
        double sum = 0;
        for (int symbol = 0; symbol < HuffmanTable.SymbolCount; symbol++)
        {
            int length = HuffmanTable.CodeLengths[symbol];
            Assert.InRange(length, HuffmanTable.MinCodeLength, HuffmanTable.MaxCodeLength);
            Assert.True(HuffmanTable.Codes[symbol] < (1u << length), $"code of symbol {symbol} is wider than {length} bits");
            sum += Math.Pow(2, -length);
        }

        Assert.Equal(1.0, sum, precision: 12);
        Assert.Equal(0x3fffffffu, HuffmanTable.Codes[HuffmanTable.EndOfStringSymbol]);
    }

    [Theory]
    [InlineData("padding of 8 ones (a whole octet)", "1f ff")] // '0' is 00000, then 3 + 8 bits of ones
    [InlineData("padding of zeros", "00")] // '0' then 000
    [InlineData("padding mixing ones and zeros", "05")] // '0' then 101
    [InlineData("a lone octet of ones", "ff")]
    [InlineData("the EOS symbol", "ff ff ff ff")] // 30 ones: EOS, then 2 ones of padding
    [InlineData("EOS after a symbol", "07 ff ff ff fc")] // '0' 00000, then EOS (30 ones), 3 ones, 2 zeros
    [InlineData("a truncated long code", "ff fe")] // prefix of a 28-bit code
    public void Rejects_invalid_input(string description, string encodedHex)
    {
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Throws<HpackDecodingException>(() => Decode(Hex.Parse(encodedHex)));
    }

    [Fact]
    public void Rejects_output_larger_than_the_destination()
    {
        byte[] encoded = TestHuffmanEncoder.Encode("0000"u8);
        Assert.Throws<HpackDecodingException>(() => HuffmanDecoder.Decode(encoded, new byte[3]));
    }

    private static byte[] Decode(byte[] encoded)
    {
        var destination = new byte[HuffmanDecoder.GetMaxDecodedLength(encoded.Length)];
        int written = HuffmanDecoder.Decode(encoded, destination);
        return destination[..written];
    }

    private static string DecodeToString(byte[] encoded) => Encoding.ASCII.GetString(Decode(encoded));
}
