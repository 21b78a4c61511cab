using System.Buffers.Text;
using Caisson.Core.Errors;
using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack.Tar;

/// <summary>
/// The overrides a PAX extended header ('x') and GNU long name/link headers ('L', 'K') carry for the next
/// entry. Records are "LENGTH KEY=VALUE\n"; values stay bytes until a key says what they are.
/// </summary>
internal sealed class PaxRecords
{
    private const string XattrPrefix = "SCHILY.xattr.";

    public string? Path { get; set; }

    public string? LinkPath { get; set; }

    public long? Size { get; private set; }

    public long? Uid { get; private set; }

    public long? Gid { get; private set; }

    public UnixTimestamp? ModificationTime { get; private set; }

    public UnixTimestamp? AccessTime { get; private set; }

    public List<KeyValuePair<string, byte[]>> ExtendedAttributes { get; } = [];

    public void Clear()
    {
        Path = LinkPath = null;
        Size = Uid = Gid = null;
        ModificationTime = AccessTime = null;
        ExtendedAttributes.Clear();
    }

    public void Parse(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(data[..space], out int length, out var consumed)
                || consumed != space || length <= space + 2 || length > data.Length || data[length - 1] != '\n')
            {
                throw new InvalidArgumentException("malformed PAX extended header record");
            }

            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
                throw new InvalidArgumentException("malformed PAX extended header record (no key)");
            Apply(record[..equals], record[(equals + 1)..]);
            data = data[length..];
        }
    }

    private void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        // An empty value cancels the record: the header field applies again.
        if (key.SequenceEqual("path"u8))
            Path = value.IsEmpty ? null : TarFields.Decode(value, "PAX path");
        else if (key.SequenceEqual("linkpath"u8))
            LinkPath = value.IsEmpty ? null : TarFields.Decode(value, "PAX linkpath");
        else if (key.SequenceEqual("size"u8))
            Size = value.IsEmpty ? null : Decimal(value, "size");
        else if (key.SequenceEqual("uid"u8))
            Uid = value.IsEmpty ? null : Decimal(value, "uid");
        else if (key.SequenceEqual("gid"u8))
            Gid = value.IsEmpty ? null : Decimal(value, "gid");
        else if (key.SequenceEqual("mtime"u8))
            ModificationTime = value.IsEmpty ? null : Timestamp(value, "mtime");
        else if (key.SequenceEqual("atime"u8))
            AccessTime = value.IsEmpty ? null : Timestamp(value, "atime");
        else if (key.StartsWith("SCHILY.xattr."u8))
            SetExtendedAttribute(TarFields.Decode(key[XattrPrefix.Length..], "PAX xattr name"), value.ToArray());
        else if (key.StartsWith("GNU.sparse."u8))
            throw new InvalidArgumentException("sparse files (GNU.sparse PAX records) are not supported");
    }

    private void SetExtendedAttribute(string name, byte[] value)
    {
        if (name.Length == 0)
            throw new InvalidArgumentException("PAX xattr record with an empty attribute name");
        var existing = ExtendedAttributes.FindIndex(pair => pair.Key == name);
        if (existing >= 0)
            ExtendedAttributes[existing] = new(name, value);
        else
            ExtendedAttributes.Add(new(name, value));
    }

    private static long Decimal(ReadOnlySpan<byte> value, string key)
    {
        if (!Utf8Parser.TryParse(value, out long number, out var consumed) || consumed != value.Length || number < 0)
            throw new InvalidArgumentException($"PAX record {key} is not a non-negative decimal number");
        return number;
    }

    /// <summary>"SECONDS[.FRACTION]", possibly negative; nanosecond precision kept.</summary>
    private static UnixTimestamp Timestamp(ReadOnlySpan<byte> value, string key)
    {
        var negative = value[0] == '-';
        var digits = negative ? value[1..] : value;
        var dot = digits.IndexOf((byte)'.');
        var whole = dot < 0 ? digits : digits[..dot];
        var fraction = dot < 0 ? [] : digits[(dot + 1)..];
        if (whole.IsEmpty || !Utf8Parser.TryParse(whole, out long seconds, out var consumed) || consumed != whole.Length
            || seconds < 0 || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new InvalidArgumentException($"PAX record {key} is not a timestamp");
        }

        long nanoseconds = 0;
        for (var i = 0; i < 9; i++)
            nanoseconds = nanoseconds * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        if (!negative)
            return new UnixTimestamp(seconds, (uint)nanoseconds);
        return nanoseconds == 0
            ? new UnixTimestamp(-seconds, 0)
            : new UnixTimestamp(-seconds - 1, (uint)(1_000_000_000 - nanoseconds));
    }
}
