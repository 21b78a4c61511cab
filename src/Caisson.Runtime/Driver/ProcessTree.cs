using System.Globalization;
using Caisson.Linux.Interop;

namespace Caisson.Runtime.Driver;

/// <summary>
/// Kills a process together with all its descendants, seen from the host's /proc. This kernel has no
/// /proc/PID/task/TID/children, so descendants are found by scanning every /proc/PID/stat for its parent.
/// To beat forks racing the scan, every process found is first stopped (SIGSTOP: a stopped process cannot
/// fork), rescanning until a pass finds nothing new; then all are SIGKILLed. A process is only ever
/// signaled while its start time still matches the one seen when it was found, so a reused pid is spared.
/// Descendants that were already orphaned (re-parented to the container's init) before the kill are not
/// reached: they are no longer the exec's children.
/// </summary>
internal static class ProcessTree
{
    private const int MaxPasses = 50;

    /// <summary>Stops and kills <paramref name="rootPid"/> (if it still started at <paramref name="rootStartTime"/>) and its descendants; returns how many were killed.</summary>
    public static int Kill(int rootPid, ulong rootStartTime)
    {
        if (StartTime(rootPid) != rootStartTime)
            return 0;
        var found = new Dictionary<int, ulong> { [rootPid] = rootStartTime };
        Signals.Send(rootPid, Signals.SIGSTOP);
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var added = 0;
            foreach (var (pid, parent, startTime) in Snapshot())
            {
                if (found.ContainsKey(pid) || !found.ContainsKey(parent))
                    continue;
                found[pid] = startTime;
                added++;
            }

            // Parents are added before their children only when /proc lists them first: repeat the pass.
            foreach (var (pid, startTime) in found)
            {
                if (StartTime(pid) == startTime)
                    Signals.Send(pid, Signals.SIGSTOP);
            }

            if (added == 0)
                break;
        }

        var killed = 0;
        foreach (var (pid, startTime) in found)
        {
            if (StartTime(pid) == startTime && Signals.Send(pid, Signals.SIGKILL))
                killed++;
        }

        return killed;
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null when the process is gone.</summary>
    public static ulong? StartTime(int pid) => ReadStat(pid) is { } stat ? stat.StartTime : null;

    /// <summary>The parent pid and start time of <paramref name="pid"/>, or null when it is gone.</summary>
    public static (int Parent, ulong StartTime)? ParentAndStartTime(int pid) => ReadStat(pid);

    private static IEnumerable<(int Pid, int Parent, ulong StartTime)> Snapshot()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            if (ReadStat(pid) is { } stat)
                yield return (pid, stat.Parent, stat.StartTime);
        }
    }

    private static (int Parent, ulong StartTime)? ReadStat(int pid) =>
        ProcessStat.Read(pid) is { } stat ? (stat.Parent, stat.StartTime) : null;
}
