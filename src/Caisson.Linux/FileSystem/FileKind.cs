namespace Caisson.Linux.FileSystem;

/// <summary>The type of a directory entry, as lstat reports it.</summary>
public enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
