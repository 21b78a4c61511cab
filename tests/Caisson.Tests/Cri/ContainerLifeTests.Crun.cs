using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Tests.Cri;

// A pod on the crun handler. crun 1.8 refuses a hybrid cgroup host while any controller is attached to
// cgroup v2 (this machine leaves hugetlb there), and runs containers once none is; which case holds is read
// from the host, and each has its own assertions.
public sealed partial class ContainerLifeTests
{
    private const string UnifiedControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    /// <summary>The controllers crun objects to: those of a cgroup2 mount beside v1 hierarchies.</summary>
    private static string ControllersCrunRefuses() =>
        File.Exists(UnifiedControllers) ? File.ReadAllText(UnifiedControllers).Trim() : "";

    [Fact]
    public async Task A_crun_pod_runs_its_container_or_says_clearly_why_it_cannot()
    {
        var (sandbox, config) = await bed.RunPodAsync("crun-pod", runtimeHandler: "crun");
        Assert.Equal("crun", (await bed.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.RuntimeHandler);
        var container = bed.Container("hello", "/bin/sh", "-c", "echo hello from crun; cat /proc/self/cgroup >&2");
        var refused = ControllersCrunRefuses();
        output.WriteLine($"{UnifiedControllers}: [{refused}]");

        if (refused.Length > 0)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await bed.CreateAsync(sandbox, config, container));
            output.WriteLine(error.Status.Detail);
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("cgroups in hybrid mode not supported", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains($"lists {refused}", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains($"mount -t cgroup -o {refused.Replace(' ', ',')} cgroup", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("use the runc handler", error.Status.Detail, StringComparison.Ordinal);
            Assert.Empty((await bed.Runtime.ListContainersAsync(new ListContainersRequest())).Containers);
            return;
        }

        var id = await bed.RunAsync(sandbox, config, container);
        var exited = await bed.WaitForExitAsync(id);
        Assert.Equal(ContainerState.ContainerExited, exited.State);
        Assert.Equal(0, exited.ExitCode);
        var log = await File.ReadAllLinesAsync(exited.LogPath);
        foreach (var line in log)
            output.WriteLine(line);
        Assert.Contains(log, l => l.EndsWith(" stdout F hello from crun", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains(" stderr F ", StringComparison.Ordinal) && l.Contains(":memory:/caisson/", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(bed.Daemon.State, "runtime", "crun", id)), "crun's state is not under the handler's root");
        await bed.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        Assert.False(Directory.Exists(Path.Combine(bed.Daemon.State, "runtime", "crun", id)), "crun's state is left behind");
    }
}
