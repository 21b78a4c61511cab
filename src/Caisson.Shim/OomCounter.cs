using System.Globalization;

namespace Caisson.Shim;

/// <summary>
/// The container cgroup's <c>oom_kill</c> counter: a line of memory.events on cgroup v2 and of
/// memory.oom_control on v1 (the daemon passes whichever file the host has). It is read at create, when the
/// cgroup exists, and again when the init has exited, before anyone can delete the cgroup; growth means the
/// kernel's OOM killer ended a process of this container.
/// </summary>
internal sealed class OomCounter(string? path)
{
    private long baseline;

    public void ReadBaseline() => baseline = Read() ?? 0;

    /// <summary>True when the counter grew since <see cref="ReadBaseline"/>; false when the file is unreadable.</summary>
    public bool HasKilled() => Read() is { } count && count > baseline;

    private long? Read()
    {
        if (path is null)
            return null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == "oom_kill" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                return count;
        }

        return null;
    }
}
