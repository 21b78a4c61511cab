using Caisson.Linux.FileSystem;

namespace Caisson.Images.Unpack.Tar;

internal enum TarEntryKind
{
    RegularFile,
    Directory,
    SymbolicLink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
}

/// <summary>One archive member with its PAX and GNU extensions merged in. The reader reuses one instance.</summary>
internal sealed class TarEntry
{
    public TarEntryKind Kind { get; set; }

    public string Name { get; set; } = "";

    public string LinkName { get; set; } = "";

    /// <summary>Permission bits with setuid/setgid/sticky (07777).</summary>
    public uint Mode { get; set; }

    public long Uid { get; set; }

    public long Gid { get; set; }

    public long Size { get; set; }

    public UnixTimestamp ModificationTime { get; set; }

    public UnixTimestamp AccessTime { get; set; }

    public long DeviceMajor { get; set; }

    public long DeviceMinor { get; set; }

    /// <summary>From <c>SCHILY.xattr.*</c> PAX records; values are raw bytes (a capability set is binary).</summary>
    public List<KeyValuePair<string, byte[]>> ExtendedAttributes { get; } = [];
}
