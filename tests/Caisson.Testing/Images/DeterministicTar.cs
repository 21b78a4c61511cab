using System.Formats.Tar;
using System.Text;
using System.Text.RegularExpressions;

namespace Caisson.Testing.Images;

/// <summary>
/// Writes PAX tars whose bytes depend only on their entries. System.Formats.Tar names each PAX extended header
/// "PaxHeaders.{process id}/..." (the POSIX default "%d/PaxHeaders.%p/%f"), which would give a layer a new
/// digest in every test run; the name is meaningless to readers, so we rewrite it to "PaxHeaders.0".
/// </summary>
internal static partial class DeterministicTar
{
    private const int BlockSize = 512;
    private const int NameLength = 100;
    private const int SizeOffset = 124;
    private const int ChecksumOffset = 148;
    private const int TypeFlagOffset = 156;
    private const int PrefixOffset = 345;
    private const int PrefixLength = 155;

    public static byte[] Write(Action<TarWriter> writeEntries)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            writeEntries(writer);
        var bytes = output.ToArray();
        NormalizeExtendedHeaderNames(bytes);
        return bytes;
    }

    private static void NormalizeExtendedHeaderNames(byte[] tar)
    {
        var offset = 0;
        while (offset + BlockSize <= tar.Length)
        {
            var header = tar.AsSpan(offset, BlockSize);
            if (!header.ContainsAnyExcept((byte)0))
                break;
            if (header[TypeFlagOffset] is (byte)'x' or (byte)'g')
            {
                var renamed = RewriteField(header.Slice(0, NameLength)) | RewriteField(header.Slice(PrefixOffset, PrefixLength));
                if (renamed)
                    WriteChecksum(header);
            }

            var size = ReadOctal(header.Slice(SizeOffset, 12));
            offset += BlockSize + (int)((size + BlockSize - 1) / BlockSize * BlockSize);
        }
    }

    private static bool RewriteField(Span<byte> field)
    {
        var end = field.IndexOf((byte)0);
        var text = Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        var replaced = ProcessIdPattern().Replace(text, "PaxHeaders.0");
        if (replaced == text)
            return false;
        field.Clear();
        Encoding.ASCII.GetBytes(replaced, field);
        return true;
    }

    private static void WriteChecksum(Span<byte> header)
    {
        header.Slice(ChecksumOffset, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
            sum += b;
        var digits = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(digits, header.Slice(ChecksumOffset, 6));
        header[ChecksumOffset + 6] = 0;
        header[ChecksumOffset + 7] = (byte)' ';
    }

    private static long ReadOctal(ReadOnlySpan<byte> field)
    {
        var text = Encoding.ASCII.GetString(field).Trim('\0', ' ');
        return text.Length == 0 ? 0 : Convert.ToInt64(text, 8);
    }

    [GeneratedRegex(@"PaxHeaders\.\d+")]
    private static partial Regex ProcessIdPattern();
}
