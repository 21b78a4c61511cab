using System.Formats.Tar;

namespace Caisson.Tests.Testing;

/// <summary>Reads tars back with System.Formats.Tar, to check what the writers produced.</summary>
internal static class TarContents
{
    public static List<TarEntry> ReadEntries(byte[] tar) => ReadEntries(new MemoryStream(tar));

    public static List<TarEntry> ReadEntries(Stream tar)
    {
        using var reader = new TarReader(tar);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
            entries.Add(entry);
        return entries;
    }

    public static byte[] ReadContent(TarEntry entry)
    {
        using var buffer = new MemoryStream();
        entry.DataStream?.CopyTo(buffer);
        return buffer.ToArray();
    }
}
