using System.Buffers;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Reads a whole directory with getdents64, keeping names as the bytes the kernel stores.</summary>
internal static unsafe class DirectoryListing
{
    private const int BufferSize = 64 * 1024;

    /// <summary>The entries of a directory (without "." and ".."), names NUL-terminated, with their d_type.</summary>
    public static List<(byte[] Name, byte Type)> Read(int directoryFd, string displayPath)
    {
        var entries = new List<(byte[], byte)>();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var read = (int)GetDents64(directoryFd, start, (nuint)buffer.Length);
                    Syscall.Check(read, "getdents64", displayPath);
                    if (read == 0)
                        return entries;
                    for (var offset = 0; offset < read;)
                    {
                        var record = start + offset;
                        var recordLength = *(ushort*)(record + DirentRecordLengthOffset);
                        var entryName = new ReadOnlySpan<byte>(record + DirentNameOffset, recordLength - DirentNameOffset);
                        entryName = entryName[..entryName.IndexOf((byte)0)];
                        if (!entryName.SequenceEqual("."u8) && !entryName.SequenceEqual(".."u8))
                            entries.Add((NullTerminated(entryName), record[DirentTypeOffset]));
                        offset += recordLength;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] NullTerminated(ReadOnlySpan<byte> name)
    {
        var bytes = new byte[name.Length + 1];
        name.CopyTo(bytes);
        return bytes;
    }
}
