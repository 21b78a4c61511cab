using System.Formats.Tar;

namespace Caisson.Testing.Images;

/// <summary>One entry of a layer being built, turned into a tar entry when the layer is written.</summary>
internal sealed class LayerEntry(string name, TarEntryType type)
{
    /// <summary>The tar name: relative to the root, no leading "/", directories end in "/".</summary>
    public string Name { get; } = name;

    public TarEntryType Type { get; } = type;

    public UnixFileMode Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    public DateTimeOffset ModificationTime { get; init; } = LayerBuilder.DefaultModificationTime;

    public string? LinkName { get; init; }

    public byte[]? Content { get; init; }

    /// <summary>A host file streamed into the tar when the layer is written.</summary>
    public FileInfo? Source { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public Dictionary<string, string> Xattrs { get; } = new(StringComparer.Ordinal);

    /// <summary>An escape hatch for hostile or odd entries: the tar entry is written exactly as made.</summary>
    public Func<TarEntry>? Raw { get; init; }
}
