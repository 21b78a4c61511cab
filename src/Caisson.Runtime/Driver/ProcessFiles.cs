using System.Globalization;

namespace Caisson.Runtime.Driver;

/// <summary>The files that name a process: a pid file someone wrote, and /proc/PID/cmdline.</summary>
internal static class ProcessFiles
{
    /// <summary>The pid in <paramref name="path"/>; null when the file is missing, unreadable or holds no pid.</summary>
    public static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process's arguments (argv[0] first); null when the process is gone or its cmdline unreadable.</summary>
    public static string[]? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
