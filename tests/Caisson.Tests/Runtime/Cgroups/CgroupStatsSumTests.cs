using Caisson.Runtime.Cgroups;

namespace Caisson.Tests.Runtime.Cgroups;

public sealed class CgroupStatsSumTests
{
    private static readonly DateTimeOffset Early = DateTimeOffset.UnixEpoch.AddSeconds(100);
    private static readonly DateTimeOffset Late = DateTimeOffset.UnixEpoch.AddSeconds(200);

    [Fact]
    public void Nothing_to_sum_is_no_usage_rather_than_zero() =>
        Assert.Null(CgroupStats.Sum([]));

    [Fact]
    public void Adds_every_field_and_takes_the_latest_timestamp()
    {
        var sum = CgroupStats.Sum([
            new CgroupStats { Timestamp = Late, CpuUsageNanoseconds = 10, MemoryUsageBytes = 100, MemoryWorkingSetBytes = 90, MemoryRssBytes = 50, PageFaults = 7, MajorPageFaults = 1, OomKills = 0, PidsCurrent = 2 },
            new CgroupStats { Timestamp = Early, CpuUsageNanoseconds = 5, MemoryUsageBytes = 20, MemoryWorkingSetBytes = 10, MemoryRssBytes = 5, PageFaults = 3, MajorPageFaults = 0, OomKills = 1, PidsCurrent = 1 },
        ]);

        Assert.Equal(
            new CgroupStats { Timestamp = Late, CpuUsageNanoseconds = 15, MemoryUsageBytes = 120, MemoryWorkingSetBytes = 100, MemoryRssBytes = 55, PageFaults = 10, MajorPageFaults = 1, OomKills = 1, PidsCurrent = 3 },
            sum);
    }

    [Fact]
    public void A_field_only_some_parts_report_is_their_total_and_one_none_reports_stays_unreported()
    {
        var sum = CgroupStats.Sum([
            new CgroupStats { Timestamp = Early, CpuUsageNanoseconds = 10 },
            new CgroupStats { Timestamp = Early, CpuUsageNanoseconds = null, PidsCurrent = 4 },
        ]);

        Assert.Equal(10UL, sum?.CpuUsageNanoseconds);
        Assert.Equal(4UL, sum?.PidsCurrent);
        Assert.Null(sum?.MemoryUsageBytes);
        Assert.Null(sum?.OomKills);
    }
}
