using Caisson.Core.Errors;
using Caisson.Runtime.Cgroups;

namespace Caisson.Tests.Runtime.Cgroups;

public sealed class CgroupLayoutTests
{
    private const string Tmpfs = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755";
    private const string Proc = "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw";

    [Fact]
    public void HybridHostIsV1WithEachControllersMountPoint()
    {
        var layout = CgroupLayout.Parse(
        [
            Proc,
            Tmpfs,
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,xattr,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
        ]);

        Assert.Equal(CgroupVersion.V1, layout.Version);
        Assert.Null(layout.UnifiedRoot);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["cpu"] = "/sys/fs/cgroup/cpu,cpuacct",
                ["cpuacct"] = "/sys/fs/cgroup/cpu,cpuacct",
                ["memory"] = "/sys/fs/cgroup/memory",
                ["pids"] = "/sys/fs/cgroup/pids",
            },
            layout.Controllers);
    }

    [Fact]
    public void PureV2HostIsTheUnifiedRoot()
    {
        var layout = CgroupLayout.Parse(
        [
            Proc,
            "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
        ]);

        Assert.Equal(CgroupVersion.V2, layout.Version);
        Assert.Equal("/sys/fs/cgroup", layout.UnifiedRoot);
        Assert.Empty(layout.Controllers);
    }

    [Fact]
    public void NoCgroupMountIsAFailedPrecondition()
    {
        var error = Assert.Throws<FailedPreconditionException>(() => CgroupLayout.Parse([Proc, Tmpfs]));
        Assert.Contains("mountinfo", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw", "/sys/fs/cgroup/unified", "cgroup2", "rw", "no optional fields")]
    [InlineData("32 31 0:29 / /sys/fs/cgroup/cpu rw shared:14 master:2 - cgroup cgroup rw,cpu", "/sys/fs/cgroup/cpu", "cgroup", "rw,cpu", "two optional fields")]
    [InlineData(@"50 31 0:40 / /mnt/my\040cgroups rw - cgroup cgroup rw,memory", "/mnt/my cgroups", "cgroup", "rw,memory", "an escaped space")]
    public void MountInfoLinesGiveMountPointTypeAndSuperOptions(string line, string mountPoint, string fileSystem, string superOptions, string description)
    {
        var parsed = CgroupLayout.ParseLine(line);
        Assert.True(parsed == new CgroupMountLine(mountPoint, fileSystem, superOptions), description);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("garbage without separator", "no ' - ' separator")]
    [InlineData("1 2 - cgroup cgroup rw", "too few fields before the separator")]
    public void MalformedMountInfoLinesAreSkipped(string line, string description) =>
        Assert.True(CgroupLayout.ParseLine(line) is null, description);

    [Fact]
    public void ThisHostHasACgroupLayout()
    {
        var layout = CgroupLayout.Detect();
        if (layout.Version == CgroupVersion.V2)
            Assert.True(File.Exists(Path.Combine(layout.UnifiedRoot!, "cgroup.controllers")));
        else
            Assert.All(layout.Controllers.Values, mount => Assert.True(Directory.Exists(mount), mount));
    }
}
