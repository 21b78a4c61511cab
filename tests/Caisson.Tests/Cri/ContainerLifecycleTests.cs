using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Tests.Runtime.Network;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>Containers through a real caissond: image from a real registry, real CNI, caisson-shim and runc.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ContainerLifecycleTests : IAsyncLifetime
{
    private readonly PodDaemonFixture _pods = new();
    private string _logDirectory = "";

    private DaemonFixture _daemon => _pods.Daemon;

    private string _image => _pods.Image;

    public async Task InitializeAsync()
    {
        await _pods.InitializeAsync();
        _logDirectory = Path.Combine(_daemon.Directory, "pod-logs");
    }

    public Task DisposeAsync() => _pods.DisposeAsync();

    private async Task<(string Sandbox, PodSandboxConfig Config)> RunPodAsync(string name)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}" },
            Hostname = name,
            LogDirectory = Path.Combine(_logDirectory, name),
            // What the kubelet sends for a pod that does not share its process namespace: each container its own.
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Container } },
            },
        };
        var id = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId;
        return (id, config);
    }

    private async Task<string> CreateAsync(string sandbox, PodSandboxConfig sandboxConfig, string name, params string[] command)
    {
        var request = new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = sandboxConfig,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = name },
                Image = new ImageSpec { Image = _image },
                Command = { command },
                LogPath = $"{name}/0.log",
                Labels = { ["container"] = name },
            },
        };
        return (await _daemon.Runtime.CreateContainerAsync(request)).ContainerId;
    }

    private Task<ContainerStatus> WaitForExitAsync(string id) => _pods.WaitForExitAsync(id);

    [Fact]
    public async Task RunsToCompletionWithItsOutputInTheCriLog()
    {
        var (sandbox, config) = await RunPodAsync("hello");
        var id = await CreateAsync(sandbox, config, "echo", "/bin/sh", "-c", "echo hello from $(hostname); echo oops >&2; exit 3");
        var created = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status;
        Assert.Equal(ContainerState.ContainerCreated, created.State);

        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var exited = await WaitForExitAsync(id);

        Assert.Equal(ContainerState.ContainerExited, exited.State);
        Assert.Equal(3, exited.ExitCode);
        Assert.Equal("Error", exited.Reason);
        Assert.True(exited.FinishedAt >= exited.StartedAt && exited.StartedAt > 0);
        var log = await File.ReadAllLinesAsync(exited.LogPath);
        Assert.Contains(log, l => l.EndsWith(" stdout F hello from hello", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith(" stderr F oops", StringComparison.Ordinal));

        await _daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        await _daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        var gone = await Assert.ThrowsAsync<RpcException>(async () =>
            await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task StopSendsTermThenKillsAndListFilters()
    {
        var (sandbox, config) = await RunPodAsync("stopper");
        var id = await CreateAsync(sandbox, config, "sleeper", "/bin/sleep", "1000");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var running = await _daemon.Runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { State = new ContainerStateValue { State = ContainerState.ContainerRunning }, PodSandboxId = sandbox },
        });
        Assert.Equal(id, Assert.Single(running.Containers).Id);
        Assert.Equal("sleeper", running.Containers[0].Labels["container"]);

        // sleep is pid 1 of its pid namespace and ignores SIGTERM: the kill after the timeout ends it.
        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 1 });
        var stopped = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status;
        Assert.Equal(ContainerState.ContainerExited, stopped.State);
        Assert.Equal(137, stopped.ExitCode);
        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 1 });

        var none = await _daemon.Runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { State = new ContainerStateValue { State = ContainerState.ContainerRunning } },
        });
        Assert.Empty(none.Containers);
    }

    [Fact]
    public async Task RemovingThePodRemovesItsContainersAndTheirMounts()
    {
        var (sandbox, config) = await RunPodAsync("owner");
        var id = await CreateAsync(sandbox, config, "long", "/bin/sleep", "1000");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var rootfs = Path.Combine(_daemon.State, "containers", id, "rootfs");
        Assert.Contains(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(rootfs, StringComparison.Ordinal));

        await _daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });

        Assert.Empty((await _daemon.Runtime.ListContainersAsync(new ListContainersRequest())).Containers);
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(rootfs, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_daemon.State, "containers", id)));
        Assert.False(Directory.Exists(Path.Combine(_daemon.Root, "containers", id)));
    }

    [Fact]
    public async Task CreateNeedsAPulledImageAndAReadySandbox()
    {
        var (sandbox, config) = await RunPodAsync("picky");
        var request = new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            Config = new ContainerConfig { Metadata = new ContainerMetadata { Name = "x" }, Image = new ImageSpec { Image = "never/pulled:v1" } },
            SandboxConfig = config,
        };
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _daemon.Runtime.CreateContainerAsync(request));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("never/pulled", missing.Status.Detail, StringComparison.Ordinal);

        request.PodSandboxId = "0000000000000000";
        var noPod = await Assert.ThrowsAsync<RpcException>(async () => await _daemon.Runtime.CreateContainerAsync(request));
        Assert.Equal(StatusCode.NotFound, noPod.StatusCode);
    }

    [Fact]
    public async Task ExecSyncReturnsOutputAndExitCodeAndEnforcesTheTimeout()
    {
        var (sandbox, config) = await RunPodAsync("exec");
        var id = await CreateAsync(sandbox, config, "target", "/bin/sleep", "1000");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        var result = await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/sh", "-c", "echo out; echo err >&2; exit 4" } });
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("out\n", result.Stdout.ToStringUtf8());
        Assert.Equal("err\n", result.Stderr.ToStringUtf8());

        var timedOut = await Assert.ThrowsAsync<RpcException>(async () =>
            await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/sleep", "100" }, Timeout = 1 }));
        Assert.Equal(StatusCode.DeadlineExceeded, timedOut.StatusCode);

        // The container itself is untouched by the killed exec.
        var after = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status;
        Assert.Equal(ContainerState.ContainerRunning, after.State);
    }

    [Fact]
    public async Task ReopenContainerLogWritesToTheNewFileAfterRotation()
    {
        var (sandbox, config) = await RunPodAsync("rotate");
        var id = await CreateAsync(sandbox, config, "ticker", "/bin/sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var log = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status.LogPath;
        await WaitUntilAsync(() => File.Exists(log) && File.ReadAllLines(log).Length >= 2);

        File.Move(log, log + ".1");
        await _daemon.Runtime.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = id });
        await WaitUntilAsync(() => File.Exists(log) && File.ReadAllLines(log).Length >= 2);

        Assert.All(File.ReadAllLines(log), line => Assert.Contains(" stdout F tick ", line, StringComparison.Ordinal));
        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
    }

    [Fact]
    public async Task ContainersSurviveADaemonKillAndExitsWhileItIsDownAreRecorded()
    {
        var (sandbox, config) = await RunPodAsync("survivor");
        var lasting = await CreateAsync(sandbox, config, "lasting", "/bin/sleep", "1000");
        var brief = await CreateAsync(sandbox, config, "brief", "/bin/sh", "-c", "sleep 1; exit 7");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = lasting });
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = brief });

        await _daemon.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _daemon.RestartAsync();

        var alive = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = lasting })).Status;
        Assert.Equal(ContainerState.ContainerRunning, alive.State);
        var exited = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = brief })).Status;
        Assert.Equal(ContainerState.ContainerExited, exited.State);
        Assert.Equal(7, exited.ExitCode);
        Assert.Equal(PodSandboxState.SandboxReady, (await _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.State);

        var exec = await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = lasting, Cmd = { "/bin/echo", "still here" } });
        Assert.Equal("still here\n", exec.Stdout.ToStringUtf8());
        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = lasting, Timeout = 0 });
        Assert.Equal(ContainerState.ContainerExited, (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = lasting })).Status.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task StatsComeFromTheContainersCgroup()
    {
        var (sandbox, config) = await RunPodAsync("stats");
        // Holds about 20 MB in the shell and spins a little, then sleeps.
        var id = await CreateAsync(sandbox, config, "busy", "/bin/sh", "-c",
            "x=$(head -c 20000000 /dev/zero | tr '\\0' a); i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo ready; sleep 1000; true");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var log = (await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status.LogPath;
        await WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("ready", StringComparison.Ordinal));

        var stats = (await _daemon.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = id })).Stats;
        Assert.Equal(id, stats.Attributes.Id);
        Assert.Equal("busy", stats.Attributes.Metadata.Name);
        Assert.True(stats.Cpu.UsageCoreNanoSeconds.Value > 0, "no CPU time recorded");
        Assert.True(stats.Memory.WorkingSetBytes.Value > 15_000_000, $"working set {stats.Memory.WorkingSetBytes.Value} is below the 20 MB the shell holds");
        Assert.NotNull(stats.WritableLayer.UsedBytes);
        Assert.Null(stats.Memory.AvailableBytes); // no memory limit, nothing to be available against

        var listed = await _daemon.Runtime.ListContainerStatsAsync(new ListContainerStatsRequest { Filter = new ContainerStatsFilter { PodSandboxId = sandbox } });
        Assert.Equal(id, Assert.Single(listed.Stats).Attributes.Id);

        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var stopped = (await _daemon.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = id })).Stats;
        Assert.Null(stopped.Cpu);
    }

    [Fact]
    public async Task UpdateContainerResourcesChangesTheCgroupLimits()
    {
        var (sandbox, config) = await RunPodAsync("resize");
        var id = await CreateAsync(sandbox, config, "sized", "/bin/sleep", "1000");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        await _daemon.Runtime.UpdateContainerResourcesAsync(new UpdateContainerResourcesRequest
        {
            ContainerId = id,
            Linux = new LinuxContainerResources { MemoryLimitInBytes = 96L << 20, CpuQuota = 50_000, CpuPeriod = 100_000, CpuShares = 512 },
        });

        // The exec'd process lives in the container's cgroup: read the limit from inside.
        var memory = await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/cat", "/proc/self/cgroup" } });
        Assert.Equal(0, memory.ExitCode);
        var memoryLine = memory.Stdout.ToStringUtf8().Split('\n').FirstOrDefault(l => l.Contains(":memory:", StringComparison.Ordinal));
        if (memoryLine is not null)
        {
            var path = "/sys/fs/cgroup/memory" + memoryLine[(memoryLine.IndexOf(":memory:", StringComparison.Ordinal) + 8)..];
            Assert.Equal((96L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(path, "memory.limit_in_bytes")).Trim());
        }
        else
        {
            var unified = memory.Stdout.ToStringUtf8().Split('\n').First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
            Assert.Equal((96L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine("/sys/fs/cgroup" + unified, "memory.max")).Trim());
        }

        // With a limit, stats say how much of it is left (what the kubelet's eviction and `caisson stats` read).
        var usage = (await _daemon.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = id })).Stats.Memory;
        Assert.Equal((96UL << 20) - usage.WorkingSetBytes.Value, usage.AvailableBytes.Value);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _daemon.Runtime.UpdateContainerResourcesAsync(new UpdateContainerResourcesRequest { ContainerId = id }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task AContainerLeftHalfCreatedByACrashIsRolledBackAtStartUp()
    {
        var (sandbox, config) = await RunPodAsync("crashy");
        var id = await CreateAsync(sandbox, config, "victim", "/bin/sleep", "1000");
        await _daemon.KillAsync();

        // Make it look as if the daemon died in the middle of CreateContainer: the record says Creating.
        var recordPath = Path.Combine(_daemon.State, "containers", "records", id + ".json");
        await File.WriteAllTextAsync(recordPath, (await File.ReadAllTextAsync(recordPath)).Replace("\"Created\"", "\"Creating\"", StringComparison.Ordinal));
        await _daemon.RestartAsync();

        var gone = await Assert.ThrowsAsync<RpcException>(async () =>
            await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.False(File.Exists(recordPath));
        Assert.False(Directory.Exists(Path.Combine(_daemon.State, "containers", id)));
        Assert.False(Directory.Exists(Path.Combine(_daemon.Root, "containers", id)));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(id, StringComparison.Ordinal));
        Assert.Equal(PodSandboxState.SandboxReady, (await _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.State);
    }
}
