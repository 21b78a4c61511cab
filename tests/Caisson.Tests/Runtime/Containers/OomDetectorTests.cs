using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Containers;

namespace Caisson.Tests.Runtime.Containers;

public sealed class OomDetectorTests
{
    private static readonly Dictionary<string, CgroupLayout> Layouts = new()
    {
        ["hybrid"] = CgroupLayout.V1(new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory", ["pids"] = "/sys/fs/cgroup/pids" }),
        ["v1 without memory"] = CgroupLayout.V1(new Dictionary<string, string> { ["pids"] = "/sys/fs/cgroup/pids" }),
        ["unified"] = CgroupLayout.V2("/sys/fs/cgroup"),
    };

    [Theory]
    [InlineData("v1 (hybrid counts as v1): memory.oom_control", "hybrid", "/caisson/c1", "/sys/fs/cgroup/memory/caisson/c1/memory.oom_control")]
    [InlineData("v2: memory.events", "unified", "/caisson/c1", "/sys/fs/cgroup/caisson/c1/memory.events")]
    [InlineData("no memory controller", "v1 without memory", "/caisson/c1", null)]
    [InlineData("no cgroups path", "hybrid", "", null)]
    [InlineData("a systemd path is not resolved", "unified", "system.slice:caisson:c1", null)]
    public void Names_the_file_holding_the_oom_kill_counter(string description, string layout, string cgroupsPath, string? expected)
    {
        Assert.True(OomDetector.EventsFile(Layouts[layout], cgroupsPath) == expected, description);
    }
}
