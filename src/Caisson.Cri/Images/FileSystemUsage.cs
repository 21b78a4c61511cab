using System.Collections.Concurrent;

namespace Caisson.Cri.Images;

/// <summary>Bytes and inodes under a directory, measured by walking it; cached briefly since kubelet asks often.</summary>
internal sealed record FileSystemUsage(DateTimeOffset Timestamp, long UsedBytes, long InodesUsed)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private static readonly ConcurrentDictionary<string, FileSystemUsage> Cache = new(StringComparer.Ordinal);

    public static FileSystemUsage Measure(string root)
    {
        if (Cache.TryGetValue(root, out var cached) && DateTimeOffset.UtcNow - cached.Timestamp < CacheFor)
            return cached;
        long bytes = 0, inodes = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true, ReturnSpecialDirectories = false };
        if (Directory.Exists(root))
        {
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
            {
                inodes++;
                if (entry is FileInfo file && file.LinkTarget is null)
                    bytes += file.Length;
            }
        }

        var usage = new FileSystemUsage(DateTimeOffset.UtcNow, bytes, inodes);
        Cache[root] = usage;
        return usage;
    }
}
