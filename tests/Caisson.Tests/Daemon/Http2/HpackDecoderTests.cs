using System.Text;
using Caisson.Daemon.Http2;
using Caisson.Tests.Daemon.Http2.Support;

namespace Caisson.Tests.Daemon.Http2;

public sealed class HpackDecoderTests
{
    private const string Date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Location = "https://www.example.com";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    // RFC 7541 C.2: independent blocks, each on a fresh decoder.
    [Theory]
    [InlineData("C.2.1 literal with indexing", "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        "custom-key", "custom-header", false, 55)]
    [InlineData("C.2.2 literal without indexing", "040c 2f73 616d 706c 652f 7061 7468",
        ":path", "/sample/path", false, 0)]
    [InlineData("C.2.3 literal never indexed", "1008 7061 7373 776f 7264 0673 6563 7265 74",
        "password", "secret", true, 0)]
    [InlineData("C.2.4 indexed", "82", ":method", "GET", false, 0)]
    public void Decodes_single_field_examples(
        string description, string blockHex, string name, string value, bool neverIndexed, int tableSize)
    {
        Assert.False(string.IsNullOrEmpty(description));
        var decoder = new HpackDecoder();
        var sink = new CollectingHeaderSink();

        decoder.Decode(Hex.Parse(blockHex), sink);

        Assert.Equal([(name, value)], sink.Fields);
        Assert.Equal([neverIndexed], sink.NeverIndexed);
        Assert.Equal(tableSize, decoder.DynamicTable.Size);
        Assert.Equal(tableSize == 0 ? 0 : 1, decoder.DynamicTable.Count);
    }

    // RFC 7541 C.3 to C.6: three blocks in a row on one decoder, checking the fields, then the dynamic table
    // (newest first) and its size after each block; C.5 and C.6 run with a 256-octet table and evict.
    [Theory]
    [InlineData("C.3 requests without Huffman")]
    [InlineData("C.4 requests with Huffman")]
    [InlineData("C.5 responses without Huffman, with eviction")]
    [InlineData("C.6 responses with Huffman, with eviction")]
    public void Decodes_example_sequences(string section)
    {
        (int tableSize, Step[] steps) = Sequences[section];
        var decoder = new HpackDecoder(tableSize);
        foreach (Step step in steps)
        {
            Assert.Equal(step.Fields, CollectingHeaderSink.Decode(decoder, Hex.Parse(step.BlockHex)));
            Assert.Equal(step.Table, TableOf(decoder));
            Assert.Equal(step.TableSize, decoder.DynamicTable.Size);
        }
    }

    [Theory]
    [InlineData("C.3 requests without Huffman", false)]
    [InlineData("C.4 requests with Huffman", true)]
    public void Test_encoder_reproduces_the_request_examples(string section, bool huffman)
    {
        // The grpc-go-like test encoder used by the rewriter tests encodes as the RFC examples do.
        var encoder = new TestHpackEncoder(huffman);
        foreach (Step step in Sequences[section].Steps)
            Assert.Equal(Hex.Parse(step.BlockHex), encoder.Encode([.. step.Fields]));
    }

    [Theory]
    [InlineData("index 0", "80")]
    [InlineData("index past the static table with an empty dynamic table", "be")]
    [InlineData("literal name index past the tables", "7f 00 01 61")]
    [InlineData("table size update above the advertised maximum", "3f e2 1f")] // 31 + 98 + (31 << 7) = 4097
    [InlineData("table size update after a field", "82 20")]
    [InlineData("integer cut off", "ff")]
    [InlineData("integer too long", "ff ff ff ff ff ff 01")]
    [InlineData("integer above int.MaxValue", "ff 80 ff ff ff 0f")]
    [InlineData("string longer than the block", "00 05 61 62")]
    [InlineData("block ends before the value", "00 01 61")]
    [InlineData("invalid Huffman padding in a value", "00 01 61 81 00")]
    public void Rejects_malformed_blocks(string description, string blockHex)
    {
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Throws<HpackDecodingException>(() => new HpackDecoder().Decode(Hex.Parse(blockHex), new CollectingHeaderSink()));
    }

    [Fact]
    public void Applies_size_updates_at_the_start_of_a_block_and_evicts()
    {
        var decoder = new HpackDecoder(4096);
        decoder.Decode(Hex.Parse("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), new CollectingHeaderSink());
        Assert.Equal(1, decoder.DynamicTable.Count);

        // Two updates in a row (to 0, then back to 4096) are allowed before the first field, and empty the table.
        var fields = CollectingHeaderSink.Decode(decoder, Hex.Parse("20 3f e1 1f 82"));

        Assert.Equal([(":method", "GET")], fields);
        Assert.Equal(0, decoder.DynamicTable.Count);
        Assert.Equal(4096, decoder.DynamicTable.MaxSize);
    }

    [Fact]
    public void An_entry_larger_than_the_table_empties_it()
    {
        var decoder = new HpackDecoder(64);
        var encoder = new TestHpackEncoder(huffman: false);
        decoder.Decode(encoder.Encode(("a", "b")), new CollectingHeaderSink());
        Assert.Equal(1, decoder.DynamicTable.Count);

        var fields = CollectingHeaderSink.Decode(decoder, encoder.Encode(("big", new string('x', 64))));

        Assert.Equal([("big", new string('x', 64))], fields);
        Assert.Equal(0, decoder.DynamicTable.Count);
        Assert.Equal(0, decoder.DynamicTable.Size);
    }

    [Fact]
    public void A_literal_may_name_the_entry_its_insertion_evicts()
    {
        // Table of 100 octets holds one 32 + 10 + 40 entry; the next names it by index 62 and evicts it on insert.
        var decoder = new HpackDecoder(100);
        decoder.Decode(new TestHpackEncoder(huffman: false, 100).Encode(("custom-key", new string('v', 40))), new CollectingHeaderSink());
        byte[] block = [0x7e, 0x03, (byte)'n', (byte)'e', (byte)'w']; // literal, incremental indexing, name index 62

        var fields = CollectingHeaderSink.Decode(decoder, block);

        Assert.Equal([("custom-key", "new")], fields);
        Assert.Equal([("custom-key", "new")], TableOf(decoder));
    }

    [Fact]
    public void Limits_the_decoded_header_list_so_small_blocks_cannot_expand_without_bound()
    {
        // One 4 KB entry, then a block of 20 one-octet references to it: 80 KB from 20 octets.
        var decoder = new HpackDecoder(maxTableSize: 4096, maxHeaderListSize: 16 * 1024);
        decoder.Decode(new TestHpackEncoder(huffman: false).Encode(("x", new string('y', 4000))), new CollectingHeaderSink());
        byte[] bomb = [.. Enumerable.Repeat((byte)0xbe, 20)];

        var exception = Assert.Throws<HpackDecodingException>(() => decoder.Decode(bomb, new CollectingHeaderSink()));
        Assert.Contains("16384", exception.Message, StringComparison.Ordinal);
    }

    private static List<(string Name, string Value)> TableOf(HpackDecoder decoder) =>
        [.. Enumerable.Range(0, decoder.DynamicTable.Count).Select(i =>
            (Encoding.ASCII.GetString(decoder.DynamicTable[i].Name), Encoding.ASCII.GetString(decoder.DynamicTable[i].Value)))];

    private sealed record Step(string BlockHex, (string Name, string Value)[] Fields, (string Name, string Value)[] Table, int TableSize);

    private static readonly (string, string)[] Request1 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];

    private static readonly (string, string)[] Request2 = [.. Request1, ("cache-control", "no-cache")];

    private static readonly (string, string)[] Request3 =
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];

    private static readonly (string, string)[] Table1 = [(":authority", "www.example.com")];
    private static readonly (string, string)[] Table2 = [("cache-control", "no-cache"), .. Table1];
    private static readonly (string, string)[] Table3 = [("custom-key", "custom-value"), .. Table2];

    private static readonly (string, string)[] Response1 =
        [(":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)];

    private static readonly (string, string)[] Response2 =
        [(":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)];

    private static readonly (string, string)[] Response3 =
        [(":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location), ("content-encoding", "gzip"), ("set-cookie", Cookie)];

    private static readonly (string, string)[] ResponseTable1 =
        [("location", Location), ("date", Date21), ("cache-control", "private"), (":status", "302")];

    private static readonly (string, string)[] ResponseTable2 =
        [(":status", "307"), ("location", Location), ("date", Date21), ("cache-control", "private")];

    private static readonly (string, string)[] ResponseTable3 =
        [("set-cookie", Cookie), ("content-encoding", "gzip"), ("date", Date22)];

    private static readonly Dictionary<string, (int TableSize, Step[] Steps)> Sequences = new()
    {
        ["C.3 requests without Huffman"] = (4096,
        [
            new("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", Request1, Table1, 57),
            new("8286 84be 5808 6e6f 2d63 6163 6865", Request2, Table2, 110),
            new("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", Request3, Table3, 164),
        ]),
        ["C.4 requests with Huffman"] = (4096,
        [
            new("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", Request1, Table1, 57),
            new("8286 84be 5886 a8eb 1064 9cbf", Request2, Table2, 110),
            new("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", Request3, Table3, 164),
        ]),
        ["C.5 responses without Huffman, with eviction"] = (256,
        [
            new("""
                4803 3330 3258 0770 7269 7661 7465 611d
                4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                2032 303a 3133 3a32 3120 474d 546e 1768
                7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                6c65 2e63 6f6d
                """, Response1, ResponseTable1, 222),
            new("4803 3330 37c1 c0bf", Response2, ResponseTable2, 222),
            new("""
                88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
                3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 7738 666f 6f3d 4153
                444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61
                6765 3d33 3630 303b 2076 6572 7369 6f6e
                3d31
                """, Response3, ResponseTable3, 215),
        ]),
        ["C.6 responses with Huffman, with eviction"] = (256,
        [
            new("""
                4882 6402 5885 aec3 771a 4b61 96d0 7abe
                9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
                e9ae 82ae 43d3
                """, Response1, ResponseTable1, 222),
            new("4883 640e ffc1 c0bf", Response2, ResponseTable2, 222),
            new("""
                88c1 6196 d07a be94 1054 d444 a820 0595
                040b 8166 e084 a62d 1bff c05a 839b d9ab
                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
                3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07
                """, Response3, ResponseTable3, 215),
        ]),
    };
}
