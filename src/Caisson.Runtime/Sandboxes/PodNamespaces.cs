using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using Caisson.Runtime.Network;
using Caisson.Runtime.Oci;

namespace Caisson.Runtime.Sandboxes;

/// <summary>
/// A pod's IPC, UTS and PID namespaces and its /dev/shm, from its NamespaceOptions as containerd reads them.
/// IPC POD is a pinned namespace every container joins, with one 64 MiB shm tmpfs they all bind; IPC NODE is the
/// host's namespace and /dev/shm. UTS is a pinned namespace holding the pod's hostname, except for host-network
/// pods, which keep the host's as in containerd. PID POD is a namespace the pause process keeps alive; CONTAINER
/// gives each container its own; NODE is the host's. The paths are planned into the record before anything is
/// created, so a rollback after a crash at any step finds everything.
/// </summary>
internal sealed class PodNamespaces(string pinDirectory, string shimPath)
{
    // As containerd mounts the sandbox's shm.
    private const ulong ShmFlags = Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC;
    private const string ShmOptions = "mode=1777,size=65536k";

    /// <summary>The record with the pins and the shm path the pod's options call for (nothing is created yet).</summary>
    public SandboxRecord Plan(SandboxRecord record, NamespaceOption? options)
    {
        if (options?.Pid == NamespaceMode.Target)
            throw new InvalidArgumentException("linux.security_context.namespace_options.pid: TARGET applies to containers, not to a pod sandbox");
        var hostIpc = options?.Ipc == NamespaceMode.Node;
        var sharedPid = (options?.Pid ?? NamespaceMode.Pod) == NamespaceMode.Pod;
        return record with
        {
            IpcNamespacePath = hostIpc ? null : PinPath(record.Id, "ipc"),
            ShmPath = hostIpc ? null : Path.Combine(record.Directory, "shm"),
            UtsNamespacePath = options?.Network == NamespaceMode.Node ? null : PinPath(record.Id, "uts"),
            PidNamespacePath = sharedPid ? PinPath(record.Id, "pid") : null,
            PauseCgroupsPath = sharedPid ? PauseCgroup.PathFor(SandboxManager.ConfigOf(record), record.Id) : null,
        };
    }

    /// <summary>Creates what <see cref="Plan"/> put in the record: the shm tmpfs, the IPC and UTS pins, the pause and its PID pin.</summary>
    public async Task CreateAsync(SandboxRecord record, string hostname)
    {
        if (record.ShmPath is { } shm)
        {
            Directory.CreateDirectory(shm);
            Mounts.Mount("shm", shm, "tmpfs", ShmFlags, ShmOptions);
        }

        var pins = new List<NamespacePin.Request>();
        var flags = 0;
        if (record.IpcNamespacePath is { } ipc)
        {
            pins.Add(new NamespacePin.Request(Path.GetFileName(ipc), "ipc"));
            flags |= Namespaces.CLONE_NEWIPC;
        }

        if (record.UtsNamespacePath is { } uts)
        {
            pins.Add(new NamespacePin.Request(Path.GetFileName(uts), "uts"));
            flags |= Namespaces.CLONE_NEWUTS;
        }

        if (pins.Count > 0)
        {
            NamespacePin.CreateNew(pinDirectory, pins, flags,
                record.UtsNamespacePath is null ? null : () => Namespaces.SetHostname(hostname));
        }

        if (record.PidNamespacePath is { } pid)
            await PauseProcess.StartAsync(shimPath, record.Id, record.Directory, pid, record.PauseCgroupsPath).ConfigureAwait(false);
    }

    /// <summary>Kills the pause, unpins the namespaces and unmounts the shm; whatever is already gone (or never was) is skipped.</summary>
    public static void Release(SandboxRecord record)
    {
        PauseProcess.Kill(record.Id, record.Directory);
        if (record.PauseCgroupsPath is { } cgroup)
            PauseCgroup.Remove(cgroup);
        foreach (var pin in new[] { record.PidNamespacePath, record.UtsNamespacePath, record.IpcNamespacePath })
        {
            if (pin is not null)
                NamespacePin.Remove(pin);
        }

        if (record.ShmPath is { } shm)
            Mounts.Unmount(shm, detach: true);
    }

    /// <summary>
    /// Where a container of the pod gets each namespace before its own options are applied (see
    /// <see cref="ContainerSpecBuilder"/>): the pod's pins, else the host's, and for PID CONTAINER pods its own.
    /// </summary>
    public static SandboxNamespaces ForContainer(SandboxRecord sandbox, NamespaceOption? podOptions) => new(
        JoinOrHost(sandbox.NetworkNamespacePath),
        JoinOrHost(sandbox.IpcNamespacePath),
        JoinOrHost(sandbox.UtsNamespacePath),
        sandbox.PidNamespacePath is { } pid ? NamespaceSource.Join(pid)
            : podOptions?.Pid == NamespaceMode.Node ? NamespaceSource.Host : NamespaceSource.Own);

    private static NamespaceSource JoinOrHost(string? pin) => pin is null ? NamespaceSource.Host : NamespaceSource.Join(pin);

    private string PinPath(string sandboxId, string kind) => Path.Combine(pinDirectory, $"{sandboxId}.{kind}");
}
