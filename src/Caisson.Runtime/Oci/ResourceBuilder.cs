using System.Text.RegularExpressions;
using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>CRI LinuxContainerResources to the spec's cgroup resources; zero means unset, as in the CRI.</summary>
internal static partial class ResourceBuilder
{
    public static OciResources Build(LinuxContainerResources? resources, IReadOnlyList<OciDeviceRule> deviceRules, bool unifiedHierarchy)
    {
        if (resources is null)
            return new OciResources { Devices = deviceRules };
        NonNegative(resources.CpuShares, "resources.cpu_shares");
        NonNegative(resources.CpuPeriod, "resources.cpu_period");
        NonNegative(resources.MemoryLimitInBytes, "resources.memory_limit_in_bytes");
        if (resources.CpuQuota < -1)
            throw new InvalidArgumentException($"resources.cpu_quota: {resources.CpuQuota} is negative");
        if (resources.MemorySwapLimitInBytes < -1)
            throw new InvalidArgumentException($"resources.memory_swap_limit_in_bytes: {resources.MemorySwapLimitInBytes} is negative");
        CpuList(resources.CpusetCpus, "resources.cpuset_cpus");
        CpuList(resources.CpusetMems, "resources.cpuset_mems");

        var cpu = new OciCpu
        {
            Shares = resources.CpuShares > 0 ? (ulong)resources.CpuShares : null,
            Quota = resources.CpuQuota != 0 ? resources.CpuQuota : null,
            Period = resources.CpuPeriod > 0 ? (ulong)resources.CpuPeriod : null,
            Cpus = NullIfEmpty(resources.CpusetCpus),
            Mems = NullIfEmpty(resources.CpusetMems),
        };
        var memory = resources.MemoryLimitInBytes > 0 || resources.MemorySwapLimitInBytes != 0
            ? new OciMemory(
                resources.MemoryLimitInBytes > 0 ? resources.MemoryLimitInBytes : null,
                resources.MemorySwapLimitInBytes != 0 ? resources.MemorySwapLimitInBytes : null)
            : null;

        var hugepages = new List<OciHugepageLimit>();
        foreach (var limit in resources.HugepageLimits)
        {
            if (!PageSizePattern().IsMatch(limit.PageSize))
                throw new InvalidArgumentException($"resources.hugepage_limits: page size \"{limit.PageSize}\" is not like 2MB or 1GB");
            hugepages.Add(new OciHugepageLimit(limit.PageSize, limit.Limit));
        }

        if (resources.Unified.Count > 0 && !unifiedHierarchy)
            throw new InvalidArgumentException("resources.unified: needs cgroup v2, this host uses v1");
        foreach (var key in resources.Unified.Keys)
        {
            if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.StartsWith('.'))
                throw new InvalidArgumentException($"resources.unified: \"{key}\" is not a cgroup file name");
        }

        return new OciResources
        {
            Devices = deviceRules,
            Cpu = cpu == new OciCpu() ? null : cpu,
            Memory = memory,
            HugepageLimits = hugepages.Count > 0 ? hugepages : null,
            Unified = resources.Unified.Count > 0 ? new Dictionary<string, string>(resources.Unified) : null,
        };
    }

    private static void NonNegative(long value, string field)
    {
        if (value < 0)
            throw new InvalidArgumentException($"{field}: {value} is negative");
    }

    private static void CpuList(string value, string field)
    {
        if (value.Length > 0 && !CpuListPattern().IsMatch(value))
            throw new InvalidArgumentException($"{field}: \"{value}\" is not a list like 0-3,5");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"^[0-9]+(KB|MB|GB|TB|PB)$")]
    private static partial Regex PageSizePattern();

    [GeneratedRegex(@"^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$")]
    private static partial Regex CpuListPattern();
}
