using Caisson.Api.Cri;
using Caisson.Runtime.Network;
using Caisson.Testing.Processes;
using Caisson.Tests.Runtime.Network;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>
/// A pod's IPC, UTS and PID namespaces through a real caissond and runc, seen from inside its containers with
/// ExecSync: what the containers share in each mode, the pause process, and that nothing outlives the pod.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodNamespaceTests(PodDaemonFixture pods) : IClassFixture<PodDaemonFixture>
{
    private static readonly string[] Sleep1 = ["/bin/sleep", "1001"];
    private static readonly string[] Sleep2 = ["/bin/sleep", "1002"];

    [Fact]
    public async Task ContainersOfAPodShareItsIpcAndUtsNamespacesAndOneShm()
    {
        var config = pods.PodConfig("sharing");
        var sandbox = await pods.RunPodAsync(config);
        var a = await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var b = await pods.StartContainerAsync(sandbox, config, "b", Sleep2);

        var ipcA = await NamespaceAsync(a, "ipc");
        Assert.Equal(ipcA, await NamespaceAsync(b, "ipc"));
        Assert.NotEqual(HostNamespace("ipc"), ipcA);
        var utsA = await NamespaceAsync(a, "uts");
        Assert.Equal(utsA, await NamespaceAsync(b, "uts"));
        Assert.NotEqual(HostNamespace("uts"), utsA);
        Assert.Equal("sharing\n", await pods.ExecAsync(a, "hostname"));
        Assert.Equal("sharing\n", await pods.ExecAsync(b, "hostname"));

        await pods.ExecAsync(a, "/bin/sh", "-c", "echo from-a > /dev/shm/note");
        Assert.Equal("from-a\n", await pods.ExecAsync(b, "cat", "/dev/shm/note"));
        var shm = (await pods.ExecAsync(b, "grep", " /dev/shm ", "/proc/mounts")).Trim();
        Assert.Contains(" tmpfs ", shm, StringComparison.Ordinal);
        Assert.Contains("size=65536k", shm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAPodPidNamespaceContainersSeeEachOtherAndThePauseIsPidOneAndReapsOrphans()
    {
        var config = pods.PodConfig("pidpod", new NamespaceOption { Pid = NamespaceMode.Pod });
        var sandbox = await pods.RunPodAsync(config);
        var a = await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var b = await pods.StartContainerAsync(sandbox, config, "b", Sleep2);

        Assert.Contains("sleep 1002", await pods.ExecAsync(a, "ps"), StringComparison.Ordinal);
        Assert.Contains("sleep 1001", await pods.ExecAsync(b, "ps"), StringComparison.Ordinal);
        Assert.Equal(await NamespaceAsync(a, "pid"), await NamespaceAsync(b, "pid"));
        var init = await pods.ExecAsync(a, "cat", "/proc/1/cmdline");
        Assert.StartsWith("pause\0--id\0" + sandbox, init[(init.IndexOf('\0', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
        Assert.Equal("caisson-pause\n", await pods.ExecAsync(a, "cat", "/proc/1/comm"));

        // The exec'd shell exits at once; its background sleep is re-parented to PID 1, which must reap it.
        await pods.ExecAsync(b, "/bin/sh", "-c", "sleep 0.2 & exit 0");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var states = await pods.ExecAsync(a, "/bin/sh", "-c", "cat /proc/[0-9]*/stat");
        Assert.DoesNotContain(") Z ", states, StringComparison.Ordinal);
        Assert.Single(PauseProcesses(sandbox));
    }

    [Fact]
    public async Task InContainerPidModeEachContainerHasItsOwnPidNamespaceAndThePodNoPause()
    {
        var options = new NamespaceOption { Pid = NamespaceMode.Container };
        var config = pods.PodConfig("pidcontainer", options);
        var sandbox = await pods.RunPodAsync(config);
        var a = await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var b = await pods.StartContainerAsync(sandbox, config, "b", Sleep2);

        Assert.DoesNotContain("sleep 1002", await pods.ExecAsync(a, "ps"), StringComparison.Ordinal);
        Assert.Equal("/bin/sleep\01001\0", await pods.ExecAsync(a, "cat", "/proc/1/cmdline"));
        Assert.NotEqual(await NamespaceAsync(a, "pid"), await NamespaceAsync(b, "pid"));
        Assert.Empty(PauseProcesses(sandbox));
        var status = (await pods.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status;
        Assert.Equal(options, status.Linux.Namespaces.Options);
    }

    [Fact]
    public async Task ATargetPidModeContainerJoinsItsTargetsPidNamespace()
    {
        var config = pods.PodConfig("pidtarget", new NamespaceOption { Pid = NamespaceMode.Container });
        var sandbox = await pods.RunPodAsync(config);
        var target = await pods.StartContainerAsync(sandbox, config, "target", Sleep1);
        var debug = await pods.StartContainerAsync(sandbox, config, "debug", Sleep2,
            c => c.Linux.SecurityContext.NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Target, TargetId = target });

        Assert.Equal(await NamespaceAsync(target, "pid"), await NamespaceAsync(debug, "pid"));
        Assert.Equal("/bin/sleep\01001\0", await pods.ExecAsync(debug, "cat", "/proc/1/cmdline"));
        Assert.Contains("sleep 1002", await pods.ExecAsync(target, "ps"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATargetThatIsNotARunningContainerOfThePodIsRefused()
    {
        var options = new NamespaceOption { Pid = NamespaceMode.Container };
        var config = pods.PodConfig("badtarget", options);
        var sandbox = await pods.RunPodAsync(config);
        var otherConfig = pods.PodConfig("othertarget", options);
        var elsewhere = await pods.StartContainerAsync(await pods.RunPodAsync(otherConfig), otherConfig, "elsewhere", Sleep1);
        var exited = await pods.StartContainerAsync(sandbox, config, "exited", ["/bin/true"]);
        await pods.WaitForExitAsync(exited);

        foreach (var (target, code) in new[] { (elsewhere, StatusCode.InvalidArgument), (exited, StatusCode.FailedPrecondition), ("0123abcd", StatusCode.NotFound), ("", StatusCode.InvalidArgument) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => pods.StartContainerAsync(sandbox, config, "debug", Sleep2,
                c => c.Linux.SecurityContext.NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Target, TargetId = target }));
            Assert.True(code == error.StatusCode, $"target \"{target}\": {error.Status}");
        }
    }

    [Fact]
    public async Task NodeIpcAndPidAreTheHostsNamespacesAndShm()
    {
        var options = new NamespaceOption { Ipc = NamespaceMode.Node, Pid = NamespaceMode.Node };
        var config = pods.PodConfig("nodens", options);
        var sandbox = await pods.RunPodAsync(config);
        var a = await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var note = $"caisson-test-{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(Path.Combine("/dev/shm", note), "from the host");
        try
        {
            Assert.Equal(HostNamespace("ipc"), await NamespaceAsync(a, "ipc"));
            Assert.Equal(HostNamespace("pid"), await NamespaceAsync(a, "pid"));
            Assert.Equal("from the host", await pods.ExecAsync(a, "cat", "/dev/shm/" + note));
            Assert.Equal(await File.ReadAllTextAsync("/proc/1/cmdline"), await pods.ExecAsync(a, "cat", "/proc/1/cmdline"));
            Assert.Empty(PauseProcesses(sandbox));
            // The pod still has a UTS namespace of its own: only host networking shares the host's.
            Assert.NotEqual(HostNamespace("uts"), await NamespaceAsync(a, "uts"));
        }
        finally
        {
            File.Delete(Path.Combine("/dev/shm", note));
        }
    }

    [Fact]
    public async Task HostNetworkPodsKeepTheHostsUtsNamespace()
    {
        var config = pods.PodConfig("hostnet", new NamespaceOption { Network = NamespaceMode.Node });
        config.Hostname = (await File.ReadAllTextAsync("/proc/sys/kernel/hostname")).Trim();
        var sandbox = await pods.RunPodAsync(config);
        var a = await pods.StartContainerAsync(sandbox, config, "a", Sleep1);

        Assert.Equal(HostNamespace("uts"), await NamespaceAsync(a, "uts"));
        Assert.Equal(HostNamespace("net"), await NamespaceAsync(a, "net"));
        Assert.NotEqual(HostNamespace("ipc"), await NamespaceAsync(a, "ipc"));
        Assert.Equal(config.Hostname + "\n", await pods.ExecAsync(a, "hostname"));
    }

    [Fact]
    public async Task StopLeavesNoPinShmOrPauseAndRemoveNoDirectory()
    {
        var config = pods.PodConfig("tidy");
        var sandbox = await pods.RunPodAsync(config);
        await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var pins = PodPins(sandbox);
        Assert.Equal(3, pins.Count);
        Assert.All(pins, pin => Assert.True(MountTable.IsMountPoint(pin), $"{pin} is not pinned"));
        var pause = Assert.Single(PauseProcesses(sandbox));
        Assert.Single(SandboxMounts(sandbox));
        // The pause lives in the pod's cgroup (PARENT/ID, here the default parent), as containerd places a sandbox.
        var memoryCgroup = $"/sys/fs/cgroup/memory/caisson/{sandbox}";
        if (Directory.Exists("/sys/fs/cgroup/memory"))
        {
            Assert.Contains($":memory:/caisson/{sandbox}\n", File.ReadAllText($"/proc/{pause}/cgroup"), StringComparison.Ordinal);
            Assert.True(Directory.Exists(memoryCgroup));
        }

        await pods.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });

        Assert.False(Directory.Exists(memoryCgroup), $"{memoryCgroup} is left behind");
        Assert.Empty(PodPins(sandbox));
        Assert.Empty(PauseProcesses(sandbox));
        Assert.Empty(SandboxMounts(sandbox));
        await pods.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        await pods.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
        Assert.False(Directory.Exists(Path.Combine(pods.Daemon.State, "sandboxes", sandbox)));
    }

    [Fact]
    public async Task APodWhosePauseIsKilledIsNotReadyAndStillStopsCleanly()
    {
        var config = pods.PodConfig("orphaned");
        var sandbox = await pods.RunPodAsync(config);
        await pods.StartContainerAsync(sandbox, config, "a", Sleep1);
        var pause = Assert.Single(PauseProcesses(sandbox));

        Caisson.Linux.Interop.Signals.Send(pause, Caisson.Linux.Interop.Signals.SIGKILL);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        PodSandboxState state;
        while ((state = (await pods.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.State) == PodSandboxState.SandboxReady)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pod is still Ready 10 s after its pause was killed");
            await Task.Delay(50);
        }

        Assert.Equal(PodSandboxState.SandboxNotready, state);
        var listed = await pods.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { Id = sandbox, State = new PodSandboxStateValue { State = PodSandboxState.SandboxNotready } },
        });
        Assert.Single(listed.Items);
        await pods.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        Assert.Empty(PodPins(sandbox));
        Assert.Empty(SandboxMounts(sandbox));
        await pods.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
    }

    [Fact]
    public async Task ASandboxLeftHalfCreatedByACrashLosesItsPauseAndPinsAtStartUp()
    {
        var config = pods.PodConfig("crashed");
        var sandbox = await pods.RunPodAsync(config);
        await pods.Daemon.KillAsync();
        var recordPath = Path.Combine(pods.Daemon.State, "sandboxes", "records", sandbox + ".json");
        await File.WriteAllTextAsync(recordPath, (await File.ReadAllTextAsync(recordPath)).Replace("\"Ready\"", "\"Creating\"", StringComparison.Ordinal));

        await pods.Daemon.RestartAsync();

        Assert.False(File.Exists(recordPath));
        Assert.Empty(PodPins(sandbox));
        Assert.Empty(PauseProcesses(sandbox));
        Assert.Empty(SandboxMounts(sandbox));
    }

    private Task<string> NamespaceAsync(string container, string kind) =>
        pods.ExecAsync(container, "/bin/busybox", "readlink", $"/proc/self/ns/{kind}").ContinueWith(t => t.Result.Trim(), TaskScheduler.Default);

    private static string HostNamespace(string kind) => new FileInfo($"/proc/self/ns/{kind}").LinkTarget!;

    private List<string> PodPins(string sandbox)
    {
        var directory = Path.Combine(pods.Daemon.State, "podns");
        return Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, sandbox + ".*")] : [];
    }

    private List<string> SandboxMounts(string sandbox) =>
        [.. MountTable.MountPoints().Where(m => m.StartsWith(Path.Combine(pods.Daemon.State, "sandboxes", sandbox), StringComparison.Ordinal))];

    /// <summary>
    /// The pause processes of these sandboxes, found by their command line (<c>caisson-shim pause --id ID ...</c>) in
    /// one pass over /proc. A zombie's command line is empty, so only live ones count.
    /// </summary>
    internal static List<int> PauseProcesses(params IEnumerable<string> sandboxes)
    {
        var wanted = sandboxes.ToHashSet(StringComparer.Ordinal);
        return HostProcesses.Matching((_, arguments) =>
        {
            var at = Array.IndexOf(arguments, "--id");
            return at >= 2 && arguments[at - 1] == "pause" && at + 1 < arguments.Length && wanted.Contains(arguments[at + 1]);
        });
    }
}
