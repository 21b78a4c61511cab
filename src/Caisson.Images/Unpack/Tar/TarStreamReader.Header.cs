using Caisson.Core.Errors;
using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack.Tar;

/// <summary>Turning one header block, with the pending PAX/GNU overrides, into the reused <see cref="TarEntry"/>.</summary>
internal sealed partial class TarStreamReader
{
    private void FillEntry(ReadOnlySpan<byte> header, char type, long size)
    {
        var name = TarFields.String(header.Slice(TarFields.NameOffset, TarFields.NameLength));
        var ustar = TarFields.IsUstar(header);
        if (pending.Path is { } longName)
        {
            entry.Name = longName;
        }
        else
        {
            var prefix = ustar ? TarFields.String(header.Slice(TarFields.PrefixOffset, TarFields.PrefixLength)) : [];
            entry.Name = prefix.IsEmpty
                ? TarFields.Decode(name, "entry name")
                : TarFields.Decode(prefix, "entry name") + "/" + TarFields.Decode(name, "entry name");
        }

        entry.Kind = KindOf(type, entry.Name);
        entry.LinkName = pending.LinkPath
            ?? TarFields.Decode(TarFields.String(header.Slice(TarFields.LinkNameOffset, TarFields.NameLength)), "link name");
        entry.Mode = (uint)(TarFields.Number(header.Slice(TarFields.ModeOffset, TarFields.IdLength), "mode") & 0xFFF);
        entry.Uid = pending.Uid ?? TarFields.Number(header.Slice(TarFields.UidOffset, TarFields.IdLength), "uid");
        entry.Gid = pending.Gid ?? TarFields.Number(header.Slice(TarFields.GidOffset, TarFields.IdLength), "gid");
        entry.Size = pending.Size ?? size;
        entry.ModificationTime = pending.ModificationTime
            ?? new UnixTimestamp(TarFields.Number(header.Slice(TarFields.ModificationTimeOffset, TarFields.SizeLength), "mtime"), 0);
        entry.AccessTime = pending.AccessTime ?? entry.ModificationTime;
        var hasDevice = ustar || header.Slice(TarFields.MagicOffset, 8).SequenceEqual("ustar  \0"u8);
        entry.DeviceMajor = hasDevice ? TarFields.Number(header.Slice(TarFields.DeviceMajorOffset, TarFields.IdLength), "devmajor") : 0;
        entry.DeviceMinor = hasDevice ? TarFields.Number(header.Slice(TarFields.DeviceMinorOffset, TarFields.IdLength), "devminor") : 0;
        entry.ExtendedAttributes.Clear();
        entry.ExtendedAttributes.AddRange(pending.ExtendedAttributes);
    }

    private static TarEntryKind KindOf(char type, string name) => type switch
    {
        // Pre-POSIX archives mark directories only by a trailing slash.
        '\0' when name.EndsWith('/') => TarEntryKind.Directory,
        '0' or '\0' or '7' => TarEntryKind.RegularFile,
        '1' => TarEntryKind.HardLink,
        '2' => TarEntryKind.SymbolicLink,
        '3' => TarEntryKind.CharacterDevice,
        '4' => TarEntryKind.BlockDevice,
        '5' => TarEntryKind.Directory,
        '6' => TarEntryKind.Fifo,
        'S' => throw new InvalidArgumentException($"entry \"{EntryPath.Display(name)}\": sparse files (tar type 'S') are not supported"),
        _ => throw new InvalidArgumentException($"entry \"{EntryPath.Display(name)}\": unsupported tar entry type '{Printable(type)}'"),
    };

    private static string Printable(char type) => char.IsAsciiLetterOrDigit(type) ? type.ToString() : $"\\x{(int)type:x2}";
}
