using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Oci;
using Microsoft.Extensions.Time.Testing;

namespace Caisson.Tests.Runtime.Cgroups;

/// <summary>
/// The v2 reader and writer against a directory of ordinary files laid out as a cgroup2 hierarchy, so v2 is
/// exercised end to end on v1 hosts (the files are plain, so the kernel's own checks are not).
/// </summary>
public sealed class CgroupV2FileTreeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("caisson-cgroup2-").FullName;
    private readonly CgroupPaths paths;

    public CgroupV2FileTreeTests()
    {
        paths = CgroupPaths.For(CgroupLayout.V2(root), "/kubepods/pod/abc");
        Directory.CreateDirectory(paths.Unified!);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ReadTakesEachFieldFromItsV2File()
    {
        Write("cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        Write("memory.current", "50000000\n");
        Write("memory.stat", "anon 30000000\nfile 20000000\ninactive_file 15000000\npgfault 1234\npgmajfault 5\n");
        Write("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        Write("pids.current", "4\n");
        Write("memory.max", "67108864\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var stats = new CgroupReader(time).Read(paths);

        Assert.Equal(
            new CgroupStats
            {
                Timestamp = time.GetUtcNow(),
                CpuUsageNanoseconds = 2_500_000,
                MemoryUsageBytes = 50_000_000,
                MemoryWorkingSetBytes = 35_000_000,
                MemoryRssBytes = 30_000_000,
                MemoryLimitBytes = 67_108_864,
                PageFaults = 1234,
                MajorPageFaults = 5,
                OomKills = 1,
                PidsCurrent = 4,
            },
            stats);
    }

    [Fact]
    public void MissingFilesLeaveFieldsAbsent()
    {
        Write("memory.current", "1000\n");

        var stats = new CgroupReader(TimeProvider.System).Read(paths);

        Assert.Equal(1000UL, stats.MemoryUsageBytes);
        Assert.Equal(1000UL, stats.MemoryWorkingSetBytes);
        Assert.Null(stats.CpuUsageNanoseconds);
        Assert.Null(stats.MemoryRssBytes);
        Assert.Null(stats.OomKills);
        Assert.Null(stats.PidsCurrent);
        Assert.Null(stats.MemoryLimitBytes);
    }

    [Theory]
    [InlineData("max\n", null, "v2: no limit")]
    [InlineData("9223372036854771712\n", null, "v1's no-limit value, written by the kernel")]
    [InlineData("100663296\n", 100663296UL, "96 MiB")]
    public void A_memory_limit_is_read_only_when_there_is_one(string content, ulong? expected, string description)
    {
        Write("memory.current", "1000\n");
        Write("memory.max", content);

        Assert.True(expected == new CgroupReader(TimeProvider.System).Read(paths).MemoryLimitBytes, description);
    }

    [Fact]
    public void UpdateWritesV2FilesAndValues()
    {
        foreach (var file in new[] { "cpu.weight", "cpu.max", "cpuset.cpus", "cpuset.mems", "memory.max", "memory.swap.max", "pids.max" })
            Write(file, "");
        Write("cpu.max", "max 100000\n");

        CgroupWriter.Update(paths, new OciResources
        {
            Cpu = new() { Shares = 1024, Quota = 50_000, Cpus = "0-1", Mems = "0" },
            Memory = new(64L * 1024 * 1024, 96L * 1024 * 1024),
            Pids = new(-1),
        });

        Assert.Equal("39", Read("cpu.weight"));
        Assert.Equal("50000 100000", Read("cpu.max"));
        Assert.Equal("0-1", Read("cpuset.cpus"));
        Assert.Equal("0", Read("cpuset.mems"));
        Assert.Equal("67108864", Read("memory.max"));
        Assert.Equal("33554432", Read("memory.swap.max"));
        Assert.Equal("max", Read("pids.max"));
    }

    [Fact]
    public void UpdateNeverCreatesInterfaceFiles()
    {
        Assert.Throws<Caisson.Core.Errors.NotFoundException>(() => CgroupWriter.Update(paths, new OciResources { Pids = new(5) }));
        Assert.False(File.Exists(Path.Combine(paths.Unified!, "pids.max")));
    }

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(paths.Unified!, file), text);

    private string Read(string file) => File.ReadAllText(Path.Combine(paths.Unified!, file));
}
