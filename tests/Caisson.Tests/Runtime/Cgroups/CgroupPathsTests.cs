using Caisson.Core.Errors;
using Caisson.Runtime.Cgroups;

namespace Caisson.Tests.Runtime.Cgroups;

public sealed class CgroupPathsTests
{
    private static readonly CgroupLayout V1 = CgroupLayout.V1(new Dictionary<string, string>
    {
        ["cpu"] = "/sys/fs/cgroup/cpu,cpuacct",
        ["cpuacct"] = "/sys/fs/cgroup/cpu,cpuacct",
        ["memory"] = "/sys/fs/cgroup/memory",
    });

    private static readonly CgroupLayout V2 = CgroupLayout.V2("/sys/fs/cgroup");

    [Fact]
    public void V1GivesADirectoryPerController()
    {
        var paths = CgroupPaths.For(V1, "/kubepods/pod-1/abc");

        Assert.Equal("/sys/fs/cgroup/memory/kubepods/pod-1/abc", paths.Directory("memory"));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/kubepods/pod-1/abc", paths.Directory("cpuacct"));
        Assert.Null(paths.Directory("pids"));
        Assert.Equal(["/sys/fs/cgroup/cpu,cpuacct/kubepods/pod-1/abc", "/sys/fs/cgroup/memory/kubepods/pod-1/abc"], paths.Directories.Order());
    }

    [Theory]
    [InlineData("/kubepods/abc", "leading slash, as the spec builder writes it")]
    [InlineData("kubepods/abc", "relative")]
    [InlineData("//kubepods//abc/", "doubled and trailing slashes")]
    public void V2GivesOneDirectoryForEveryController(string cgroupsPath, string description)
    {
        var paths = CgroupPaths.For(V2, cgroupsPath);

        Assert.True(paths.Unified == "/sys/fs/cgroup/kubepods/abc", $"{description}: {paths.Unified}");
        Assert.Equal(paths.Unified, paths.Directory("memory"));
        Assert.Equal(paths.Unified, paths.Directory("pids"));
    }

    [Theory]
    [InlineData("/kubepods/../../etc", "climbs out with ..")]
    [InlineData("/", "the root cgroup")]
    [InlineData("system.slice:caisson:abc", "a systemd-driver path")]
    public void UnusablePathsAreInvalidArguments(string cgroupsPath, string description)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => CgroupPaths.For(V2, cgroupsPath));
        Assert.True(error.Message.Contains(cgroupsPath, StringComparison.Ordinal), description);
    }

    [Fact]
    public void AMissingCgroupIsNotFound()
    {
        var paths = CgroupPaths.For(CgroupLayout.V2(Path.GetTempPath()), $"caisson-missing-{Guid.NewGuid():N}");
        Assert.Throws<NotFoundException>(paths.EnsureExists);
    }
}
