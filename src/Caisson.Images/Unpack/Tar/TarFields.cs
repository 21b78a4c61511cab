using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Images.Unpack.Tar;

/// <summary>Decoding the fields of a 512-byte tar header: octal or base-256 numbers, NUL-terminated strings.</summary>
internal static class TarFields
{
    public const int BlockSize = 512;

    public const int NameOffset = 0;
    public const int NameLength = 100;
    public const int ModeOffset = 100;
    public const int UidOffset = 108;
    public const int GidOffset = 116;
    public const int IdLength = 8;
    public const int SizeOffset = 124;
    public const int SizeLength = 12;
    public const int ModificationTimeOffset = 136;
    public const int ChecksumOffset = 148;
    public const int ChecksumLength = 8;
    public const int TypeOffset = 156;
    public const int LinkNameOffset = 157;
    public const int MagicOffset = 257;
    public const int DeviceMajorOffset = 329;
    public const int DeviceMinorOffset = 337;
    public const int PrefixOffset = 345;
    public const int PrefixLength = 155;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>POSIX ustar ("ustar\0" "00"), the only format whose prefix field extends the name.</summary>
    public static bool IsUstar(ReadOnlySpan<byte> header) => header.Slice(MagicOffset, 8).SequenceEqual("ustar\000"u8);

    /// <summary>The bytes of a string field up to its first NUL.</summary>
    public static ReadOnlySpan<byte> String(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Contains((byte)0))
            throw new InvalidArgumentException($"tar {what} contains a NUL byte");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidArgumentException($"tar {what} is not valid UTF-8");
        }
    }

    /// <summary>A numeric field: octal text (space or NUL padded), or GNU base-256 when the high bit is set.</summary>
    public static long Number(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
            return Base256(field, what);

        var text = field.Trim(" \0"u8);
        long value = 0;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
                throw new InvalidArgumentException($"tar header field {what} is not an octal number");
            value = (value << 3) | (uint)(digit - '0');
        }

        return value;
    }

    private static long Base256(ReadOnlySpan<byte> field, string what)
    {
        // Two's complement, big-endian; the first byte's top bit only marks the encoding.
        var negative = (field[0] & 0x40) != 0;
        long value = negative ? -1 : 0;
        for (var i = 0; i < field.Length; i++)
        {
            var b = i == 0 ? (byte)(field[0] & 0x7f | (negative ? 0x80 : 0)) : field[i];
            if (negative ? value < (long.MinValue >> 8) : value > (long.MaxValue >> 8))
                throw new InvalidArgumentException($"tar header field {what} is out of range");
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>Checks the header checksum; old writers summed signed bytes, so either sum is accepted.</summary>
    public static void VerifyChecksum(ReadOnlySpan<byte> header)
    {
        var stored = Number(header.Slice(ChecksumOffset, ChecksumLength), "chksum");
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        if (stored != unsigned && stored != signed)
            throw new InvalidArgumentException("tar header checksum mismatch (not a tar archive, or corrupt)");
    }
}
