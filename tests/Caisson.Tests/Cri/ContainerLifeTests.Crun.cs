using Caisson.Api.Cri;

namespace Caisson.Tests.Cri;

// A pod on the crun handler. crun 1.8 refuses a hybrid cgroup host while any controller is attached to
// cgroup v2 (this machine leaves hugetlb there); caissond then runs it through a script that hides the v2 mount
// from it (HybridCgroupsWrapper), so the pod runs either way.
public sealed partial class ContainerLifeTests
{
    private const string UnifiedControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    /// <summary>The controllers crun objects to: those of a cgroup2 mount beside v1 hierarchies.</summary>
    private static string ControllersCrunRefuses() =>
        File.Exists(UnifiedControllers) ? File.ReadAllText(UnifiedControllers).Trim() : "";

    [Fact]
    public async Task A_crun_pod_runs_its_container_even_on_a_hybrid_host_with_controllers_on_the_v2_side()
    {
        var (sandbox, config) = await bed.RunPodAsync("crun-pod", runtimeHandler: "crun");
        Assert.Equal("crun", (await bed.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.RuntimeHandler);
        var container = bed.Container("hello", "/bin/sh", "-c", "echo hello from crun; cat /proc/self/cgroup >&2");
        var refused = ControllersCrunRefuses();
        output.WriteLine($"{UnifiedControllers}: [{refused}]");

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
        // Where crun would refuse the host, it ran through the wrapper; where it would not, there is none.
        Assert.Equal(refused.Length > 0, File.Exists(Path.Combine(bed.Daemon.State, "runtime", "wrappers", "crun-v1-cgroups")));
        await bed.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        Assert.False(Directory.Exists(Path.Combine(bed.Daemon.State, "runtime", "crun", id)), "crun's state is left behind");
    }

    [Fact]
    public async Task A_running_crun_container_answers_exec_and_stops()
    {
        var (sandbox, config) = await bed.RunPodAsync("crun-exec", runtimeHandler: "crun");
        var id = await bed.RunAsync(sandbox, config, bed.Container("sleeper", "/bin/sleep", "3600"));

        var exec = await bed.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/sh", "-c", "echo exec through crun; exit 3" }, Timeout = 10 });
        Assert.Equal(3, exec.ExitCode);
        Assert.Equal("exec through crun\n", exec.Stdout.ToStringUtf8());

        await bed.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 1 });
        var stopped = (await bed.StatusAsync(id)).Status;
        Assert.Equal(ContainerState.ContainerExited, stopped.State);
        Assert.Equal(143, stopped.ExitCode); // the pod shares a PID namespace: sleep is not PID 1, so SIGTERM ends it
        await bed.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
    }
}
