using Caisson.Core.Errors;
using Caisson.Runtime.Oci;

namespace Caisson.Runtime.Cgroups;

/// <summary>The cgroup v2 half of <see cref="CgroupWriter"/>: weights instead of shares, "max" instead of -1.</summary>
internal static class CgroupWriterV2
{
    public static void Update(CgroupPaths cgroup, OciResources resources)
    {
        var directory = cgroup.Unified;
        if (resources.Cpu is { } cpu)
        {
            CgroupWriter.SetCpuset(cgroup, cpu);
            if (cpu.Shares is { } shares)
                CgroupFiles.Write(directory, "cpu.weight", CgroupWriter.Number(CpuWeight.FromShares(shares)));
            if (cpu.Quota is not null || cpu.Period is not null)
                CgroupFiles.Write(directory, "cpu.max", CpuMax(CgroupFiles.TryRead(directory, "cpu.max"), cpu.Quota, cpu.Period));
        }

        if (resources.Memory is { } memory)
        {
            if (memory.Limit is { } limit)
                CgroupFiles.Write(directory, "memory.max", limit > 0 ? CgroupWriter.Number(limit) : "max");
            if (SwapMax(memory) is { } swap)
                CgroupFiles.Write(directory, "memory.swap.max", swap);
        }

        if (resources.Pids is { } pids)
            CgroupFiles.Write(directory, "pids.max", CgroupWriter.PidsMax(pids));
    }

    /// <summary>
    /// cpu.max holds "quota period" together; a half left unset keeps its current value rather than being reset.
    /// </summary>
    internal static string CpuMax(string? current, long? quota, ulong? period)
    {
        var parts = (current ?? "max 100000").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var currentQuota = parts.Length > 0 ? parts[0] : "max";
        var currentPeriod = parts.Length > 1 ? parts[1] : "100000";
        var newQuota = quota is { } q ? (q > 0 ? CgroupWriter.Number(q) : "max") : currentQuota;
        var newPeriod = period is { } p ? CgroupWriter.Number(p) : currentPeriod;
        return $"{newQuota} {newPeriod}";
    }

    /// <summary>
    /// OCI swap is memory + swap (the v1 memsw meaning); v2 memory.swap.max is swap alone, so subtract the limit.
    /// </summary>
    internal static string? SwapMax(OciMemory memory)
    {
        if (memory.Swap is not { } swap)
            return null;
        if (swap < 0)
            return "max";
        if (memory.Limit is not { } limit || limit <= 0)
            throw new InvalidArgumentException($"memory swap limit {swap} needs a memory limit on cgroup v2");
        if (swap < limit)
            throw new InvalidArgumentException($"memory swap limit {swap} is below the memory limit {limit}");
        return CgroupWriter.Number(swap - limit);
    }
}
