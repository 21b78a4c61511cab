using System.Formats.Tar;
using System.Text;

namespace Caisson.Tests.Images.Archive;

/// <summary>Writes tar entries exactly as a test says, hostile ones included.</summary>
internal sealed class TarBuilder
{
    private readonly List<Action<TarWriter>> _entries = [];

    public TarBuilder File(string name, byte[] content)
    {
        _entries.Add(writer => writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) }));
        return this;
    }

    public TarBuilder File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public TarBuilder Directory(string name)
    {
        _entries.Add(writer => writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name)));
        return this;
    }

    public TarBuilder Entry(TarEntryType type, string name, string? linkName = null)
    {
        _entries.Add(writer =>
        {
            var entry = new PaxTarEntry(type, name);
            if (linkName is not null)
                entry.LinkName = linkName;
            writer.WriteEntry(entry);
        });
        return this;
    }

    public TarBuilder Symlink(string name, string target) => Entry(TarEntryType.SymbolicLink, name, target);

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in _entries)
                entry(writer);
        }

        return buffer.ToArray();
    }
}
