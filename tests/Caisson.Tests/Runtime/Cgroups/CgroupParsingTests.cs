using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Oci;

namespace Caisson.Tests.Runtime.Cgroups;

/// <summary>File formats and conversions, so the v2 logic is covered on v1 hosts too.</summary>
public sealed class CgroupParsingTests
{
    [Fact]
    public void MemoryStatParsesEveryKeyedLine()
    {
        var stat = CgroupFiles.ParseKeyed("cache 4096\nrss 20480000\ntotal_inactive_file 8192\n\nhierarchical_memory_limit 9223372036854771712\n");

        Assert.Equal(20480000UL, stat["rss"]);
        Assert.Equal(8192UL, stat["total_inactive_file"]);
        Assert.Equal(9223372036854771712UL, stat["hierarchical_memory_limit"]);
        Assert.Equal(4, stat.Count);
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill", 3UL, "v1 memory.oom_control")]
    [InlineData("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n", "oom_kill", 2UL, "v2 memory.events")]
    [InlineData("usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n", "usage_usec", 1500UL, "v2 cpu.stat")]
    [InlineData("nr_periods 0\nbad line here\nthrottled notanumber\nnr_throttled 7", "nr_throttled", 7UL, "malformed lines skipped, no final newline")]
    public void KeyedFilesGiveTheirValues(string text, string key, ulong expected, string description) =>
        Assert.True(CgroupFiles.ParseKeyed(text).GetValueOrDefault(key) == expected, description);

    [Fact]
    public void CpuStatMicrosecondsBecomeNanoseconds()
    {
        Assert.Equal(1_500_000UL, CgroupReader.CpuUsageFromCpuStat(CgroupFiles.ParseKeyed("usage_usec 1500\nuser_usec 1000\n")));
        Assert.Null(CgroupReader.CpuUsageFromCpuStat(CgroupFiles.ParseKeyed("user_usec 1000\n")));
    }

    [Theory]
    [InlineData(100_000UL, 30_000UL, 70_000UL, "usage minus inactive file")]
    [InlineData(100_000UL, 150_000UL, 0UL, "inactive above usage floors at zero")]
    [InlineData(100_000UL, null, 100_000UL, "no inactive_file line")]
    public void WorkingSetSubtractsInactiveFilePages(ulong usage, ulong? inactive, ulong expected, string description)
    {
        var stat = inactive is { } bytes ? new Dictionary<string, ulong> { ["inactive_file"] = bytes } : [];
        Assert.True(CgroupReader.WorkingSet(usage, stat, "inactive_file") == expected, description);
    }

    [Fact]
    public void NoUsageMeansNoWorkingSet() =>
        Assert.Null(CgroupReader.WorkingSet(null, new Dictionary<string, ulong> { ["inactive_file"] = 5 }, "inactive_file"));

    [Theory]
    [InlineData(2UL, 1UL, "minimum shares")]
    [InlineData(1024UL, 39UL, "the default 1024 shares")]
    [InlineData(262144UL, 10000UL, "maximum shares")]
    [InlineData(1UL, 1UL, "below the minimum clamps")]
    [InlineData(1_000_000UL, 10000UL, "above the maximum clamps")]
    public void SharesConvertToWeightLikeRunc(ulong shares, ulong weight, string description) =>
        Assert.True(CpuWeight.FromShares(shares) == weight, $"{description}: {CpuWeight.FromShares(shares)}");

    [Theory]
    [InlineData("max 100000\n", 50_000L, null, "50000 100000", "quota alone keeps the period")]
    [InlineData("50000 100000\n", null, 20_000UL, "50000 20000", "period alone keeps the quota")]
    [InlineData("50000 100000\n", -1L, 100_000UL, "max 100000", "negative quota lifts the limit")]
    [InlineData(null, 25_000L, 50_000UL, "25000 50000", "both given")]
    public void CpuMaxKeepsTheHalfNotGiven(string? current, long? quota, ulong? period, string expected, string description) =>
        Assert.True(CgroupWriterV2.CpuMax(current, quota, period) == expected, $"{description}: {CgroupWriterV2.CpuMax(current, quota, period)}");

    [Theory]
    [InlineData(100L, 300L, "200", "swap is memory+swap minus the limit")]
    [InlineData(100L, -1L, "max", "unlimited swap")]
    [InlineData(100L, null, null, "no swap given")]
    public void SwapMaxIsSwapWithoutMemory(long limit, long? swap, string? expected, string description) =>
        Assert.True(CgroupWriterV2.SwapMax(new OciMemory(limit, swap)) == expected, description);

    [Theory]
    [InlineData(100L, 50L, "swap below the limit")]
    [InlineData(-1L, 50L, "swap without a memory limit")]
    public void ImpossibleSwapIsInvalid(long limit, long swap, string description) =>
        Assert.True(Record.Exception(() => CgroupWriterV2.SwapMax(new OciMemory(limit, swap))) is Caisson.Core.Errors.InvalidArgumentException, description);
}
