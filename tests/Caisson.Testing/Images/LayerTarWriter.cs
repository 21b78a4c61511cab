using System.Formats.Tar;

namespace Caisson.Testing.Images;

/// <summary>Turns the entries of a <see cref="LayerBuilder"/> into an uncompressed, deterministic PAX tar.</summary>
internal static class LayerTarWriter
{
    private const string XattrPrefix = "SCHILY.xattr.";

    public static byte[] Write(IReadOnlyList<LayerEntry> entries) =>
        DeterministicTar.Write(writer =>
        {
            foreach (var entry in entries)
            {
                if (entry.Raw is not null)
                {
                    writer.WriteEntry(entry.Raw());
                    continue;
                }

                var tarEntry = ToTarEntry(entry);
                if (entry.Source is not null)
                {
                    using var source = entry.Source.OpenRead();
                    tarEntry.DataStream = source;
                    writer.WriteEntry(tarEntry);
                }
                else
                {
                    if (entry.Content is not null)
                        tarEntry.DataStream = new MemoryStream(entry.Content, writable: false);
                    writer.WriteEntry(tarEntry);
                }
            }
        });

    private static PaxTarEntry ToTarEntry(LayerEntry entry)
    {
        var attributes = entry.Xattrs.Select(x => KeyValuePair.Create(XattrPrefix + x.Key, x.Value));
        var tarEntry = new PaxTarEntry(entry.Type, entry.Name, attributes)
        {
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
        };
        if (entry.LinkName is not null)
            tarEntry.LinkName = entry.LinkName;
        if (entry.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            tarEntry.DeviceMajor = entry.DeviceMajor;
            tarEntry.DeviceMinor = entry.DeviceMinor;
        }

        return tarEntry;
    }
}
