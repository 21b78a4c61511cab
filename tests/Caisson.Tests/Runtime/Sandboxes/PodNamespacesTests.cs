using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using Caisson.Runtime.Network;
using Caisson.Runtime.Oci;
using Caisson.Runtime.Sandboxes;
using Caisson.Testing.Processes;
using Caisson.Tests.Runtime.Network;
using Caisson.Tests.Shim;

namespace Caisson.Tests.Runtime.Sandboxes;

public sealed class PodNamespacesTests : IDisposable
{
    private readonly PinDirectoryFixture _pins = new();
    private readonly string _sandboxDirectory = Directory.CreateTempSubdirectory("caisson-sandbox-").FullName;

    public void Dispose()
    {
        Mounts.Unmount(Path.Combine(_sandboxDirectory, "shm"), detach: true);
        Directory.Delete(_sandboxDirectory, recursive: true);
        _pins.Dispose();
    }

    public static TheoryData<string, NamespaceOption?, bool, bool, bool> Plans => new()
    {
        { "no options: everything is the pod's", null, true, true, true },
        { "IPC NODE: the host's IPC and /dev/shm", new NamespaceOption { Ipc = NamespaceMode.Node }, false, true, true },
        { "network NODE: the host's UTS, as containerd", new NamespaceOption { Network = NamespaceMode.Node }, true, false, true },
        { "PID CONTAINER: no pod PID namespace", new NamespaceOption { Pid = NamespaceMode.Container }, true, true, false },
        { "PID NODE: no pod PID namespace", new NamespaceOption { Pid = NamespaceMode.Node }, true, true, false },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Plan_records_the_pins_and_the_shm_the_options_call_for(string description, NamespaceOption? options, bool ipc, bool uts, bool pid)
    {
        Assert.NotNull(description);
        var planned = Namespaces().Plan(Record("abc"), options);

        Assert.Equal(ipc ? _pins.PinPath("abc.ipc") : null, planned.IpcNamespacePath);
        Assert.Equal(ipc ? Path.Combine(_sandboxDirectory, "shm") : null, planned.ShmPath);
        Assert.Equal(uts ? _pins.PinPath("abc.uts") : null, planned.UtsNamespacePath);
        Assert.Equal(pid ? _pins.PinPath("abc.pid") : null, planned.PidNamespacePath);
    }

    [Fact]
    public void A_pod_level_pid_target_is_refused()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => Namespaces().Plan(Record("abc"), new NamespaceOption { Pid = NamespaceMode.Target }));
        Assert.Contains("TARGET", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NamespaceMode.Pod, "join", "the pause's namespace")]
    [InlineData(NamespaceMode.Container, "own", "each container its own")]
    [InlineData(NamespaceMode.Node, "host", "the host's")]
    public void Containers_start_from_the_pods_pid_namespace(NamespaceMode mode, string expected, string description)
    {
        Assert.NotNull(description);
        var options = new NamespaceOption { Pid = mode };
        var record = Namespaces().Plan(Record("abc"), options);

        var pid = PodNamespaces.ForContainer(record, options).Pid;

        Assert.Equal(expected, pid.IsHost ? "host" : pid.JoinPath is null ? "own" : "join");
        Assert.Equal(expected == "join" ? record.PidNamespacePath : null, pid.JoinPath);
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public async Task Create_pins_ipc_and_uts_with_the_hostname_and_starts_the_pause_and_Release_undoes_it_all()
    {
        var record = Namespaces(await PublishedExecutable.ShimAsync()).Plan(Record(Guid.NewGuid().ToString("N")), null);

        await Namespaces(await PublishedExecutable.ShimAsync()).CreateAsync(record, "pod-host");

        Assert.All(new[] { record.IpcNamespacePath!, record.UtsNamespacePath!, record.PidNamespacePath! }, pin => Assert.True(NamespacePin.Exists(pin)));
        Assert.True(MountTable.IsMountPoint(record.ShmPath!));
        Assert.Equal("pod-host", NamespacePin.RunInside(record.UtsNamespacePath!, Caisson.Linux.Interop.Namespaces.CLONE_NEWUTS,
            () => File.ReadAllText("/proc/sys/kernel/hostname").Trim()));
        Assert.NotEqual(OwnNamespace("ipc"), NamespacePin.RunInside(record.IpcNamespacePath!, Caisson.Linux.Interop.Namespaces.CLONE_NEWIPC, () => OwnNamespace("ipc")));
        var pause = int.Parse(File.ReadAllText(PauseProcess.PidFilePath(_sandboxDirectory)), System.Globalization.CultureInfo.InvariantCulture);
        // NSpid lists the pause's pid in each namespace from the host's down: it is 1 in its own.
        Assert.EndsWith("\t1", File.ReadLines($"/proc/{pause}/status").Single(l => l.StartsWith("NSpid:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.True(PauseProcess.IsRunning(record.Id, _sandboxDirectory));

        PodNamespaces.Release(record);
        PodNamespaces.Release(record);

        Assert.False(IsLive(pause));
        Assert.False(PauseProcess.IsRunning(record.Id, _sandboxDirectory));
        Assert.Empty(Directory.EnumerateFiles(_pins.Directory));
        Assert.False(MountTable.IsMountPoint(record.ShmPath!));
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public void Release_kills_no_process_whose_pid_is_in_the_pid_file_but_is_not_the_pause()
    {
        using var other = System.Diagnostics.Process.Start("/bin/sleep", "30");
        File.WriteAllText(PauseProcess.PidFilePath(_sandboxDirectory), other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var record = Namespaces().Plan(Record("abc"), new NamespaceOption { Ipc = NamespaceMode.Node, Network = NamespaceMode.Node });

        PodNamespaces.Release(record);

        Assert.False(other.HasExited);
        other.Kill();
    }

    private PodNamespaces Namespaces(string shimPath = "/nonexistent/caisson-shim") => new(_pins.Directory, shimPath);

    private SandboxRecord Record(string id) => new()
    {
        Id = id,
        Key = "k",
        Name = "n",
        Namespace = "ns",
        Uid = "u",
        RuntimeHandler = "runc",
        Config = [],
        Directory = _sandboxDirectory,
    };

    /// <summary>The process exists and is not a zombie (its parent, init, reaps it in its own time).</summary>
    private static bool IsLive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string OwnNamespace(string kind) => new FileInfo($"/proc/thread-self/ns/{kind}").LinkTarget!;
}
