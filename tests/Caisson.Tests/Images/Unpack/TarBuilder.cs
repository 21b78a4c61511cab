using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Caisson.Core.Oci;

namespace Caisson.Tests.Images.Unpack;

/// <summary>One raw tar header, every field settable, so tests can write what no tar library would.</summary>
internal sealed record TarHeader
{
    public required byte[] Name { get; init; }

    public char Type { get; init; } = '0';

    public long Mode { get; init; } = Convert.ToInt32("644", 8);

    public long Uid { get; init; }

    public long Gid { get; init; }

    /// <summary>The size field; null means the data length.</summary>
    public long? Size { get; init; }

    public long ModificationTime { get; init; } = TarBuilder.DefaultTime;

    public byte[] LinkName { get; init; } = [];

    /// <summary>magic + version: "ustar\0" "00" (POSIX), "ustar  \0" (GNU) or zeros (V7).</summary>
    public byte[] Magic { get; init; } = "ustar\000"u8.ToArray();

    public long DeviceMajor { get; init; }

    public long DeviceMinor { get; init; }

    public byte[] Prefix { get; init; } = [];

    /// <summary>Write this instead of the right checksum.</summary>
    public long? Checksum { get; init; }
}

/// <summary>Builds tar archives in memory, byte by byte; long names go into PAX records as Go's writer does.</summary>
internal sealed class TarBuilder
{
    public const long DefaultTime = 1_700_000_000;

    private readonly MemoryStream output = new();

    public static uint Octal(string digits) => Convert.ToUInt32(digits, 8);

    public TarBuilder Header(TarHeader header, ReadOnlySpan<byte> data = default)
    {
        var block = new byte[512];
        Field(block, 0, 100, header.Name);
        Number(block, 100, 8, header.Mode);
        Number(block, 108, 8, header.Uid);
        Number(block, 116, 8, header.Gid);
        Number(block, 124, 12, header.Size ?? data.Length);
        Number(block, 136, 12, header.ModificationTime);
        block[156] = (byte)header.Type;
        Field(block, 157, 100, header.LinkName);
        Field(block, 257, 8, header.Magic);
        Field(block, 265, 32, "root"u8);
        Field(block, 297, 32, "root"u8);
        Number(block, 329, 8, header.DeviceMajor);
        Number(block, 337, 8, header.DeviceMinor);
        Field(block, 345, 155, header.Prefix);
        block.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0L;
        foreach (var b in block)
            sum += b;
        var checksum = Encoding.ASCII.GetBytes(Convert.ToString(header.Checksum ?? sum, 8).PadLeft(6, '0') + "\0 ");
        checksum.CopyTo(block, 148);
        output.Write(block);
        output.Write(data);
        output.Write(new byte[(512 - data.Length % 512) % 512]);
        return this;
    }

    /// <summary>A PAX extended header ('x') for the next entry.</summary>
    public TarBuilder Pax(params (string Key, byte[] Value)[] records)
    {
        var data = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
            var length = body + body.ToString().Length;
            if (length.ToString().Length != body.ToString().Length)
                length++;
            data.Write(Encoding.UTF8.GetBytes($"{length} {key}="));
            data.Write(value);
            data.WriteByte((byte)'\n');
        }

        return Header(new TarHeader { Name = "PaxHeaders/x"u8.ToArray(), Type = 'x' }, data.ToArray());
    }

    public TarBuilder Pax(params (string Key, string Value)[] records) =>
        Pax(records.Select(r => (r.Key, Encoding.UTF8.GetBytes(r.Value))).ToArray());

    /// <summary>A GNU long name ('L') or long link ('K') header for the next entry.</summary>
    public TarBuilder Gnu(char type, string value) =>
        Header(new TarHeader { Name = "././@LongLink"u8.ToArray(), Type = type, Magic = "ustar  \0"u8.ToArray() },
            Encoding.UTF8.GetBytes(value + "\0"));

    public TarBuilder File(string name, string content, string mode = "644", long uid = 0, long gid = 0,
        long mtime = DefaultTime, params (string Name, byte[] Value)[] xattrs) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid, mtime, xattrs);

    public TarBuilder File(string name, byte[] content, string mode = "644", long uid = 0, long gid = 0,
        long mtime = DefaultTime, params (string Name, byte[] Value)[] xattrs) =>
        Entry('0', name, "", mode, uid, gid, mtime, xattrs, content);

    public TarBuilder Directory(string name, string mode = "755", long uid = 0, long gid = 0,
        long mtime = DefaultTime, params (string Name, byte[] Value)[] xattrs) =>
        Entry('5', name, "", mode, uid, gid, mtime, xattrs, []);

    public TarBuilder Symlink(string name, string target, long uid = 0, long gid = 0, long mtime = DefaultTime) =>
        Entry('2', name, target, "777", uid, gid, mtime, [], []);

    public TarBuilder HardLink(string name, string target) => Entry('1', name, target, "644", 0, 0, DefaultTime, [], []);

    public TarBuilder Device(string name, char type, long major, long minor, string mode = "600", long uid = 0, long gid = 0) =>
        Header(new TarHeader
        {
            Name = Encoding.UTF8.GetBytes(name), Type = type, Mode = Octal(mode), Uid = uid, Gid = gid,
            DeviceMajor = major, DeviceMinor = minor,
        });

    public TarBuilder Fifo(string name, string mode = "644") => Device(name, '6', 0, 0, mode);

    /// <summary>The end-of-archive blocks and, like GNU tar, zero padding to a 10 KiB record.</summary>
    public byte[] Build(bool endOfArchive = true, int trailingZeros = 0)
    {
        if (endOfArchive)
            output.Write(new byte[1024]);
        output.Write(new byte[trailingZeros]);
        return output.ToArray();
    }

    public static byte[] Compress(byte[] tar, LayerCompression compression)
    {
        if (compression == LayerCompression.None)
            return tar;
        var compressed = new MemoryStream();
        using (Stream stream = compression == LayerCompression.Gzip
                   ? new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)
                   : new ZstdSharp.CompressionStream(compressed, leaveOpen: true))
        {
            stream.Write(tar);
        }

        return compressed.ToArray();
    }

    private TarBuilder Entry(char type, string name, string link, string mode, long uid, long gid, long mtime,
        (string Name, byte[] Value)[] xattrs, byte[] data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var linkBytes = Encoding.UTF8.GetBytes(link);
        var records = new List<(string, byte[])>();
        if (nameBytes.Length > 100)
            records.Add(("path", nameBytes));
        if (linkBytes.Length > 100)
            records.Add(("linkpath", linkBytes));
        records.AddRange(xattrs.Select(x => ("SCHILY.xattr." + x.Name, x.Value)));
        if (records.Count > 0)
            Pax(records.ToArray());
        return Header(new TarHeader
        {
            Name = nameBytes.Length > 100 ? nameBytes[..100] : nameBytes,
            LinkName = linkBytes.Length > 100 ? linkBytes[..100] : linkBytes,
            Type = type, Mode = Octal(mode), Uid = uid, Gid = gid, ModificationTime = mtime,
        }, data);
    }

    private static void Field(byte[] block, int offset, int length, ReadOnlySpan<byte> value) =>
        value[..Math.Min(value.Length, length)].CopyTo(block.AsSpan(offset, length));

    /// <summary>Octal with a NUL, or GNU base-256 when the value does not fit.</summary>
    private static void Number(byte[] block, int offset, int length, long value)
    {
        var octal = Convert.ToString(value, 8);
        if (value >= 0 && octal.Length < length)
        {
            Field(block, offset, length, Encoding.ASCII.GetBytes(octal.PadLeft(length - 1, '0') + "\0"));
            return;
        }

        var field = block.AsSpan(offset, length);
        field.Fill(value < 0 ? (byte)0xff : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(field[^8..], value);
        field[0] |= 0x80;
    }
}
