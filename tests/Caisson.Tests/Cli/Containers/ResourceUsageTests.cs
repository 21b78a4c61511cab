using Caisson.Api.Cri;
using Caisson.Cli.Containers;

namespace Caisson.Tests.Cli.Containers;

public sealed class ResourceUsageTests
{
    [Theory]
    [InlineData("one core busy", 1_000_000_000UL, 2_000_000_000UL, 1_000_000_000L, 100.0)]
    [InlineData("a quarter of a core", 0UL, 250_000_000UL, 1_000_000_000L, 25.0)]
    [InlineData("two cores over half a second", 0UL, 1_000_000_000UL, 500_000_000L, 200.0)]
    [InlineData("idle", 5UL, 5UL, 1_000_000_000L, 0.0)]
    public void CpuPercentIsCpuTimeOverWallTime(string description, ulong before, ulong after, long elapsedNanoseconds, double expected)
    {
        var percent = ResourceUsage.CpuPercent(Cpu(1_000, before), Cpu(1_000 + elapsedNanoseconds, after));

        Assert.True(percent is { } p && Math.Abs(p - expected) < 1e-9, $"{description}: got {percent}");
    }

    [Fact]
    public void CpuPercentNeedsTwoUsableSamples()
    {
        Assert.Null(ResourceUsage.CpuPercent(null, Cpu(10, 10)));
        Assert.Null(ResourceUsage.CpuPercent(Cpu(10, 10), Cpu(10, 20)));
        Assert.Null(ResourceUsage.CpuPercent(Cpu(10, 30), Cpu(20, 20)));
        Assert.Null(ResourceUsage.CpuPercent(new ContainerStats(), Cpu(20, 20)));
    }

    [Fact]
    public void MemoryIsTheWorkingSetAgainstTheLimitOrTheHost()
    {
        var limited = new ContainerStats
        {
            Memory = new MemoryUsage { WorkingSetBytes = new UInt64Value { Value = 100 }, UsageBytes = new UInt64Value { Value = 150 }, AvailableBytes = new UInt64Value { Value = 900 } },
        };
        var unlimited = new ContainerStats { Memory = new MemoryUsage { UsageBytes = new UInt64Value { Value = 150 } } };

        Assert.Equal(100UL, ResourceUsage.MemoryUsed(limited));
        Assert.Equal(1000UL, ResourceUsage.MemoryLimit(limited, hostMemory: 8000));
        Assert.Equal(150UL, ResourceUsage.MemoryUsed(unlimited));
        Assert.Equal(8000UL, ResourceUsage.MemoryLimit(unlimited, hostMemory: 8000));
        Assert.Null(ResourceUsage.MemoryUsed(new ContainerStats()));
    }

    [Fact]
    public void HostMemoryFromMeminfo()
    {
        Assert.Equal(8_000_000UL * 1024, ResourceUsage.HostMemory("MemTotal:        8000000 kB\nMemFree:          123 kB\n"));
        Assert.Equal(0UL, ResourceUsage.HostMemory("MemFree: 1 kB\n"));
        Assert.Equal("12.35%", ResourceUsage.Percent(12.345));
        Assert.Equal("--", ResourceUsage.Percent(null));
    }

    private static ContainerStats Cpu(long timestamp, ulong usage) =>
        new() { Cpu = new CpuUsage { Timestamp = timestamp, UsageCoreNanoSeconds = new UInt64Value { Value = usage } } };
}
