using Caisson.Core.Errors;
using Caisson.Runtime.Cgroups;
using Caisson.Testing.Processes;

namespace Caisson.Tests.Runtime.Cgroups;

/// <summary>Real cgroups on this host, with real busybox processes inside them.</summary>
[Trait("Category", "Privileged")]
public sealed class CgroupLiveTests : IDisposable
{
    private const long HeldBytes = 20_000_000;
    private static readonly string[] Controllers = ["memory", "cpu", "cpuacct", "pids", "cpuset"];
    private readonly TestCgroup cgroup = new(Controllers);
    private readonly string signals = Directory.CreateTempSubdirectory("caisson-cgroup-test-").FullName;
    private readonly CgroupReader reader = new(TimeProvider.System);

    public void Dispose()
    {
        cgroup.Dispose();
        Directory.Delete(signals, recursive: true);
    }

    [Fact]
    public async Task MemoryAndPidsGrowWhenAProcessInsideHoldsMemory()
    {
        var before = reader.Read(cgroup.Paths);
        Assert.Equal(0UL, before.PidsCurrent);

        // The shell waits to be moved in before allocating: v1 does not move earlier charges with a task.
        await using (var process = await StartJoinedAsync($"x=$(head -c {HeldBytes} /dev/zero | tr '\\0' a)"))
        {
            var stats = reader.Read(cgroup.Paths);
            Assert.True(stats.MemoryUsageBytes >= (ulong)HeldBytes, $"usage {stats.MemoryUsageBytes} < {HeldBytes}");
            Assert.True(stats.MemoryWorkingSetBytes >= (ulong)HeldBytes, $"working set {stats.MemoryWorkingSetBytes} < {HeldBytes}");
            Assert.True(stats.MemoryWorkingSetBytes <= stats.MemoryUsageBytes);
            Assert.True(stats.MemoryRssBytes >= (ulong)HeldBytes, $"rss {stats.MemoryRssBytes} < {HeldBytes}");
            Assert.True(stats.PageFaults > (ulong)(HeldBytes / 4096 / 2), $"page faults {stats.PageFaults}");
            Assert.True(stats.PidsCurrent >= 1, $"pids {stats.PidsCurrent}");
            Assert.Equal(0UL, stats.OomKills);
        }

        Assert.Equal(0UL, await EventuallyAsync(() => reader.Read(cgroup.Paths).PidsCurrent, 0UL));
    }

    [Fact]
    public async Task CpuUsageIncreasesWhileAProcessInsideSpins()
    {
        await using var process = await StartJoinedAsync("i=0; while [ $i -ge 0 ]; do i=$((i+1)); done");
        var first = reader.Read(cgroup.Paths);
        Assert.NotNull(first.CpuUsageNanoseconds);

        // 100 ms of CPU takes 100 ms of wall time on an idle core; a loaded machine gets a deadline, not a fixed wait.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var second = reader.Read(cgroup.Paths);
        while (second.CpuUsageNanoseconds - first.CpuUsageNanoseconds < 100_000_000UL && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            second = reader.Read(cgroup.Paths);
        }

        var spent = second.CpuUsageNanoseconds - first.CpuUsageNanoseconds;
        Assert.True(spent >= 100_000_000UL, $"only {spent} ns of CPU in 15 s of spinning");
        Assert.True(second.Timestamp > first.Timestamp);
    }

    [Fact]
    public async Task OomKillsAreCountedWhenTheLimitIsHit()
    {
        CgroupWriter.Update(cgroup.Paths, new() { Memory = new(16 * 1024 * 1024, 16 * 1024 * 1024) });
        await using var process = await StartJoinedAsync($"x=$(head -c {HeldBytes * 2} /dev/zero | tr '\\0' a)");

        Assert.True(await EventuallyAsync(() => reader.Read(cgroup.Paths).OomKills, 1UL) >= 1);
    }

    [Fact]
    public void UpdateWritesLimitsThatReadBack()
    {
        var resources = new Caisson.Runtime.Oci.OciResources
        {
            Cpu = new() { Shares = 512, Quota = 50_000, Period = 100_000, Cpus = "0", Mems = "0" },
            Memory = new(64 * 1024 * 1024, 128 * 1024 * 1024),
            Pids = new(10),
        };
        CgroupWriter.Update(cgroup.Paths, resources);

        if (cgroup.Layout.Version == CgroupVersion.V2)
        {
            Assert.Equal("50000 100000", cgroup.ReadFile("cpu", "cpu.max"));
            Assert.Equal(CpuWeight.FromShares(512).ToString(System.Globalization.CultureInfo.InvariantCulture), cgroup.ReadFile("cpu", "cpu.weight"));
            Assert.Equal("67108864", cgroup.ReadFile("memory", "memory.max"));
        }
        else
        {
            Assert.Equal("512", cgroup.ReadFile("cpu", "cpu.shares"));
            Assert.Equal("50000", cgroup.ReadFile("cpu", "cpu.cfs_quota_us"));
            Assert.Equal("100000", cgroup.ReadFile("cpu", "cpu.cfs_period_us"));
            Assert.Equal("67108864", cgroup.ReadFile("memory", "memory.limit_in_bytes"));
            Assert.Equal("134217728", cgroup.ReadFile("memory", "memory.memsw.limit_in_bytes"));
        }

        Assert.Equal("0", cgroup.ReadFile("cpuset", "cpuset.cpus"));
        Assert.Equal("0", cgroup.ReadFile("cpuset", "cpuset.mems"));
        Assert.Equal("10", cgroup.ReadFile("pids", "pids.max"));
    }

    [Theory]
    [InlineData(32L * 1024 * 1024, 32L * 1024 * 1024, "shrinking both: the memory limit must move before memory+swap")]
    [InlineData(256L * 1024 * 1024, 512L * 1024 * 1024, "growing both: memory+swap must move before the memory limit")]
    [InlineData(-1L, -1L, "lifting both limits")]
    public void MemoryLimitsMoveInEitherDirection(long limit, long swap, string description)
    {
        CgroupWriter.Update(cgroup.Paths, new() { Memory = new(64 * 1024 * 1024, 128 * 1024 * 1024), Pids = new(0) });
        CgroupWriter.Update(cgroup.Paths, new() { Memory = new(limit, swap) });

        var file = cgroup.Layout.Version == CgroupVersion.V2 ? "memory.max" : "memory.limit_in_bytes";
        var read = cgroup.ReadFile("memory", file);
        if (limit > 0)
            Assert.True(read == limit.ToString(System.Globalization.CultureInfo.InvariantCulture), description);
        else
            Assert.True(read is "max" || ulong.Parse(read, System.Globalization.CultureInfo.InvariantCulture) > 1UL << 60, $"{description}: {read}");
        Assert.Equal("max", cgroup.ReadFile("pids", "pids.max"));
    }

    [Fact]
    public void RemovedCgroupIsNotFound()
    {
        cgroup.Remove();

        Assert.Throws<NotFoundException>(() => reader.Read(cgroup.Paths));
        Assert.Throws<NotFoundException>(() => CgroupWriter.Update(cgroup.Paths, new() { Pids = new(5) }));
    }

    /// <summary>
    /// Starts a busybox shell that joins the cgroup, then runs <paramref name="work"/> and stays alive; the trailing
    /// "true" keeps the shell from exec-ing sleep in its place, which would free what it holds.
    /// </summary>
    private async Task<BackgroundProcess> StartJoinedAsync(string work)
    {
        var go = Path.Combine(signals, "go");
        var ready = Path.Combine(signals, "ready");
        var script = $"while [ ! -e {go} ]; do sleep 0.05; done; {work}; touch {ready}; sleep 60; true";
        var process = BackgroundProcess.Start("/bin/busybox", ["sh", "-c", script]);
        cgroup.Join(process.Id);
        await File.WriteAllTextAsync(go, "");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // A spinning script never gets to "ready"; it only needs a moment to start spinning.
        while (!File.Exists(ready) && !work.Contains("while", StringComparison.Ordinal))
        {
            if (process.HasExited)
                break;
            await Task.Delay(50, timeout.Token);
        }

        return process;
    }

    private static async Task<ulong?> EventuallyAsync(Func<ulong?> read, ulong wanted)
    {
        ulong? value = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            value = read();
            if (value == wanted || (wanted > 0 && value >= wanted))
                return value;
            await Task.Delay(100);
        }

        return value;
    }
}
