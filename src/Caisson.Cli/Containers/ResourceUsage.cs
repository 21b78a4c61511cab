using System.Globalization;
using Caisson.Api.Cri;

namespace Caisson.Cli.Containers;

/// <summary>The numbers `caisson stats` shows, worked out from the daemon's cumulative cgroup counters.</summary>
internal static class ResourceUsage
{
    /// <summary>
    /// CPU time used between two samples as a share of the wall time between them: 100% is one core busy, so a
    /// container using two cores shows 200%, as docker stats counts. Null without two usable samples.
    /// </summary>
    public static double? CpuPercent(ContainerStats? earlier, ContainerStats later)
    {
        if (earlier?.Cpu?.UsageCoreNanoSeconds is not { } before || later.Cpu?.UsageCoreNanoSeconds is not { } after)
            return null;
        var elapsed = later.Cpu.Timestamp - earlier.Cpu.Timestamp;
        if (elapsed <= 0 || after.Value < before.Value)
            return null;
        return (after.Value - before.Value) * 100.0 / elapsed;
    }

    /// <summary>Memory in use as docker counts it, the working set (usage less inactive file cache).</summary>
    public static ulong? MemoryUsed(ContainerStats stats) =>
        stats.Memory?.WorkingSetBytes?.Value ?? stats.Memory?.UsageBytes?.Value;

    /// <summary>The container's memory limit when the daemon reports one (as available bytes), else the host's memory.</summary>
    public static ulong MemoryLimit(ContainerStats stats, ulong hostMemory) =>
        stats.Memory?.AvailableBytes is { } available && MemoryUsed(stats) is { } used ? used + available.Value : hostMemory;

    /// <summary>MemTotal from the text of /proc/meminfo, in bytes; 0 when it is not there.</summary>
    public static ulong HostMemory(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                continue;
            var number = line["MemTotal:".Length..].Trim().Split(' ')[0];
            return ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes) ? kibibytes * 1024 : 0;
        }
        return 0;
    }

    public static string Percent(double? value) =>
        value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "--";
}
