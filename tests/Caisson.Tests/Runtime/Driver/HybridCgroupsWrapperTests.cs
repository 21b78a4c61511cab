using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Driver;

namespace Caisson.Tests.Runtime.Driver;

public sealed class HybridCgroupsWrapperTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caisson-wrapper-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("crun on a hybrid host with hugetlb on the v2 side", "/usr/bin/crun", "v1", "hugetlb\n", true)]
    [InlineData("runc copes with that host", "/usr/sbin/runc", "v1", "hugetlb\n", false)]
    [InlineData("nothing on the v2 side", "/usr/bin/crun", "v1", "\n", false)]
    [InlineData("no v2 mount at all", "/usr/bin/crun", "v1", null, false)]
    [InlineData("a pure cgroup v2 host", "/usr/bin/crun", "v2", "cpu memory pids\n", false)]
    public void IsNeededOnlyWhereCrunWouldRefuseTheHost(string description, string runtime, string version, string? controllers, bool expected)
    {
        Assert.NotEmpty(description);
        var file = Path.Combine(_directory, "cgroup.controllers");
        if (controllers is not null)
            File.WriteAllText(file, controllers);
        var layout = version == "v1"
            ? CgroupLayout.V1(new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory" })
            : CgroupLayout.V2("/sys/fs/cgroup");

        Assert.Equal(expected, HybridCgroupsWrapper.Needed(runtime, layout, file));
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public void TheScriptRunsTheRuntimeWithoutTheV2MountAndLeavesTheHostsInPlace()
    {
        if (!Directory.Exists("/sys/fs/cgroup/unified"))
        {
            Assert.Fail("this test needs a hybrid cgroup host with /sys/fs/cgroup/unified (the CI machine has one)");
        }

        var path = HybridCgroupsWrapper.Write(_directory, "probe", "/bin/cat");
        var start = new System.Diagnostics.ProcessStartInfo(path, ["/proc/self/mountinfo"]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var inside = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(" /sys/fs/cgroup/unified ", inside, StringComparison.Ordinal);
        Assert.Contains(" /sys/fs/cgroup/memory ", inside, StringComparison.Ordinal);
        Assert.Contains(" /sys/fs/cgroup/unified ", File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheScriptRunsTheRuntimeWithItsArgumentsWhereTheV2MountIsGone()
    {
        var path = HybridCgroupsWrapper.Write(_directory, "crun", "/usr/bin/env");

        Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(path) & UnixFileMode.UserExecute);
        var script = File.ReadAllText(path);
        Assert.StartsWith("#!/bin/sh\n", script, StringComparison.Ordinal);
        Assert.Contains("--propagation unchanged /bin/sh -c 'mount --make-rprivate /sys/fs/cgroup && umount -l /sys/fs/cgroup/unified && exec \"$0\" \"$@\"' '/usr/bin/env' \"$@\"", script, StringComparison.Ordinal);
    }
}
