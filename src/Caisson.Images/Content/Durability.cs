using System.Text;

namespace Caisson.Images.Content;

/// <summary>Atomic file replacement: write a temp file, fsync it, rename it over the target, fsync the directory.</summary>
public static class Durability
{
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAtomic(string path, string content) => WriteAtomic(path, Encoding.UTF8.GetBytes(content));

    /// <summary>fsyncs a directory so a rename in it survives a power loss.</summary>
    public static void SyncDirectory(string directory) => Linux.Interop.FileSync.SyncDirectory(directory);
}
