using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>What lstat says about one directory entry.</summary>
public readonly record struct FileStatus(
    FileKind Kind,
    uint Permissions,
    uint Uid,
    uint Gid,
    long Size,
    UnixTimestamp ModificationTime,
    uint DeviceMajor,
    uint DeviceMinor,
    ulong Inode,
    uint LinkCount)
{
    internal static FileStatus From(in Statx statx) => new(
        KindOf(statx.Mode),
        statx.Mode & 0xFFFu,
        statx.Uid,
        statx.Gid,
        (long)statx.Size,
        new UnixTimestamp(statx.ModificationTime.Seconds, statx.ModificationTime.Nanoseconds),
        statx.RdevMajor,
        statx.RdevMinor,
        statx.Inode,
        statx.LinkCount);

    internal static FileKind KindOf(uint mode) => (mode & S_IFMT) switch
    {
        S_IFDIR => FileKind.Directory,
        S_IFLNK => FileKind.SymbolicLink,
        S_IFCHR => FileKind.CharacterDevice,
        S_IFBLK => FileKind.BlockDevice,
        S_IFIFO => FileKind.Fifo,
        S_IFSOCK => FileKind.Socket,
        _ => FileKind.Regular,
    };
}
