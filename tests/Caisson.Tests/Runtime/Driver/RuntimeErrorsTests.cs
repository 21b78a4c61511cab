using Caisson.Core.Errors;
using Caisson.Runtime.Driver;

namespace Caisson.Tests.Runtime.Driver;

public sealed class RuntimeErrorsTests
{
    private static readonly RuntimeHandler Handler = new("runc", "/usr/sbin/runc", "/run/caisson/runc/runc");

    [Theory]
    [InlineData("runc logrus line", "time=\"2026-11-25T22:24:17Z\" level=error msg=\"container does not exist\"\n", "container does not exist")]
    [InlineData("escaped quotes kept", "time=\"t\" level=error msg=\"exec failed: \\\"sh\\\": not found\"", "exec failed: \"sh\": not found")]
    [InlineData("crun plain text", "cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n", "cgroups in hybrid mode not supported, drop all controllers from cgroupv2")]
    [InlineData("two lines joined", "first\nsecond\n", "first; second")]
    public void Keeps_only_the_runtimes_messages(string description, string stderr, string expected)
    {
        Assert.True(RuntimeErrors.Message(stderr) == expected, description);
    }

    [Theory]
    [InlineData("runc: does not exist", "time=\"t\" level=error msg=\"container does not exist\"", ErrorKind.NotFound)]
    [InlineData("crun: no state directory", "cannot open directory '/run/caisson/runc/runc/c1': No such file or directory", ErrorKind.NotFound)]
    [InlineData("a missing file elsewhere is not the container", "open /etc/x: No such file or directory", ErrorKind.Internal)]
    [InlineData("hybrid cgroups", "cgroups in hybrid mode not supported, drop all controllers from cgroupv2", ErrorKind.FailedPrecondition)]
    [InlineData("silent failure", "", ErrorKind.Internal)]
    public void Classifies_failures_and_names_the_container(string description, string stderr, ErrorKind kind)
    {
        var error = RuntimeErrors.For(Handler, "kill", "c1", new RuntimeCommandResult(1, "", stderr));
        Assert.True(error.Kind == kind, $"{description}: {error.Kind}");
        Assert.Contains("container c1", error.Message, StringComparison.Ordinal);
        Assert.Contains("/usr/sbin/runc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one controller on v2", "hugetlb\n", "lists hugetlb", "mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb")]
    [InlineData("two controllers on v2", "hugetlb misc\n", "lists hugetlb misc", "mount -t cgroup -o hugetlb,misc cgroup /sys/fs/cgroup/hugetlb")]
    [InlineData("controllers unreadable", null, "cgroup v2 has controllers", "mount every controller as a v1 hierarchy")]
    public void The_hybrid_cgroups_refusal_names_the_controllers_and_the_fix(string description, string? controllers, string cause, string fix)
    {
        var file = Path.GetTempFileName();
        try
        {
            if (controllers is null)
                File.Delete(file);
            else
                File.WriteAllText(file, controllers);
            var error = RuntimeErrors.HybridCgroupsRefused("crun", "create container c1: cgroups in hybrid mode not supported, drop all controllers from cgroupv2", file);

            Assert.NotNull(error);
            Assert.True(error.Message.Contains(cause, StringComparison.Ordinal), $"{description}: {error.Message}");
            Assert.True(error.Message.Contains(fix, StringComparison.Ordinal), $"{description}: {error.Message}");
            Assert.Contains("use the runc handler", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Other_failures_are_not_the_hybrid_cgroups_refusal() =>
        Assert.Null(RuntimeErrors.HybridCgroupsRefused("crun", "create container c1: exec: no such file"));
}
