using Caisson.Api.Cri;

namespace Caisson.Tests.Cri;

// A container the kernel's OOM killer ends reports reason OOMKilled (from its cgroup's oom_kill counter, which
// the shim reads before the cgroup can go); other exits keep Completed and Error, a plain SIGKILL included.
public sealed partial class ContainerLifeTests
{
    private const long Limit = 16L << 20;

    [Theory]
    [InlineData("dd's 64 MiB buffer in a 16 MiB cgroup", "dd if=/dev/zero of=/dev/null bs=64M count=1", 137, "OOMKilled")]
    [InlineData("a 4 MiB buffer fits", "dd if=/dev/zero of=/dev/null bs=4M count=1", 0, "Completed")]
    [InlineData("a child SIGKILLed without memory pressure", "sleep 100 & kill -9 $!; wait $!", 137, "Error")]
    public async Task The_reason_says_whether_the_OOM_killer_ended_the_container(string description, string script, int exitCode, string reason)
    {
        var (sandbox, config) = await bed.RunPodAsync($"oom-{exitCode}-{reason.ToLowerInvariant()}");
        var container = bed.Container("hog", "/bin/sh", "-c", script);
        // Swap limited to the memory limit: no swap to hide the overrun in.
        container.Linux = new LinuxContainerConfig
        {
            Resources = new LinuxContainerResources { MemoryLimitInBytes = Limit, MemorySwapLimitInBytes = Limit },
        };
        var id = await bed.RunAsync(sandbox, config, container);

        var status = await bed.WaitForExitAsync(id);

        Assert.True(status.State == ContainerState.ContainerExited, $"{description}: {status.State}");
        Assert.True(status.ExitCode == exitCode, $"{description}: exit code {status.ExitCode}");
        Assert.True(status.Reason == reason, $"{description}: reason {status.Reason}");
        var exitFile = await File.ReadAllTextAsync(bed.ShimState(id).ExitPath);
        Assert.True(exitFile.Contains("oom_killed=true", StringComparison.Ordinal) == (reason == "OOMKilled"), $"{description}: exit file {exitFile}");
    }
}
