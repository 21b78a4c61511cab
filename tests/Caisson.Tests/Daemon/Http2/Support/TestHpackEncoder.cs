using System.Text;
using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>An HPACK encoder that behaves like grpc-go's and like the RFC 7541 Appendix C examples: a field already
/// in a table is sent as an index, any other as a literal with incremental indexing (name indexed when it can be),
/// strings Huffman-coded or not. Its blocks thus refer to the dynamic table from the second request on.</summary>
internal sealed class TestHpackEncoder(bool huffman, int maxTableSize = 4096)
{
    private readonly List<(string Name, string Value)> _table = []; // newest first
    private int _tableSize;

    public byte[] Encode(params (string Name, string Value)[] fields)
    {
        var output = new List<byte>();
        foreach ((string name, string value) in fields)
        {
            int index = FindIndex(name, value, matchValue: true);
            if (index > 0)
            {
                WriteInteger(output, index, 7, 0x80);
                continue;
            }

            int nameIndex = FindIndex(name, value, matchValue: false);
            WriteInteger(output, nameIndex, 6, 0x40);
            if (nameIndex == 0)
                WriteString(output, name);
            WriteString(output, value);
            Insert(name, value);
        }

        return [.. output];
    }

    private int FindIndex(string name, string value, bool matchValue)
    {
        for (int i = 1; i <= HpackStaticTable.Count; i++)
        {
            if (HpackStaticTable.GetName(i).SequenceEqual(Encoding.ASCII.GetBytes(name))
                && (!matchValue || HpackStaticTable.GetValue(i).SequenceEqual(Encoding.ASCII.GetBytes(value))))
                return i;
        }

        int dynamic = _table.FindIndex(e => e.Name == name && (!matchValue || e.Value == value));
        return dynamic < 0 ? 0 : HpackStaticTable.Count + 1 + dynamic;
    }

    private void Insert(string name, string value)
    {
        int size = name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        _table.Insert(0, (name, value));
        _tableSize += size;
        while (_tableSize > maxTableSize)
        {
            (string oldName, string oldValue) = _table[^1];
            _table.RemoveAt(_table.Count - 1);
            _tableSize -= oldName.Length + oldValue.Length + HpackDynamicTable.EntryOverhead;
        }
    }

    private void WriteString(List<byte> output, string text)
    {
        byte[] raw = Encoding.ASCII.GetBytes(text);
        byte[] encoded = huffman ? TestHuffmanEncoder.Encode(raw) : raw;
        WriteInteger(output, encoded.Length, 7, huffman ? (byte)0x80 : (byte)0x00);
        output.AddRange(encoded);
    }

    private static void WriteInteger(List<byte> output, int value, int prefixBits, byte pattern)
    {
        Span<byte> buffer = stackalloc byte[8];
        int length = HpackLiteralEncoder.WriteInteger(buffer, value, prefixBits, pattern);
        output.AddRange(buffer[..length]);
    }
}
