using System.Globalization;

namespace Caisson.Testing.Registry;

/// <summary>Which process listens on a loopback TCP port, from /proc/net/tcp and the process's descriptors.</summary>
public static class LoopbackListeners
{
    private const string Listen = "0A";

    /// <summary>True when process <paramref name="pid"/> holds the socket listening on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Owns(int pid, int port)
    {
        var local = $"0100007F:{port:X4}";
        var inodes = File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[1] == local && fields[3] == Listen)
            .Select(fields => fields[9])
            .ToHashSet(StringComparer.Ordinal);
        if (inodes.Count == 0)
            return false;
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .Any(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the process is gone
        }
    }
}
