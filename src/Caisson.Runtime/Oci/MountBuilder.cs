using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>The container's mounts: the standard file systems, the sandbox's files, then the CRI mounts, which win.</summary>
internal static class MountBuilder
{
    private const string DevShm = "/dev/shm";

    public static (List<OciMount> Mounts, string? RootfsPropagation) Build(
        ContainerSpecInput input, bool privileged, bool readonlyRootfs, bool hostIpc, List<string> warnings)
    {
        var requested = input.Config.Mounts.Select(Validate).ToList();
        var mounts = Standard(privileged, input.Cgroup.UnifiedHierarchy);
        var sandboxFileOption = readonlyRootfs ? "ro" : "rw";
        AddBind(mounts, "/etc/hosts", input.Files.Hosts, sandboxFileOption);
        AddBind(mounts, "/etc/resolv.conf", input.Files.ResolvConf, sandboxFileOption);
        AddBind(mounts, "/etc/hostname", input.Files.Hostname, sandboxFileOption);
        var shm = hostIpc ? DevShm : input.Files.DevShm;
        if (shm is null)
            mounts.Add(new OciMount(DevShm, "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]));
        else
            AddBind(mounts, DevShm, shm, "rw");
        if (input.TerminationMessage is { } termination)
            AddBind(mounts, termination.ContainerPath, termination.HostPath, "rw");

        string? propagation = null;
        foreach (var mount in requested)
        {
            if (mount.SelinuxRelabel)
                warnings.Add($"mounts: relabel of {mount.HostPath} ignored, SELinux is not enabled");
            var (option, rootPropagation) = mount.Propagation switch
            {
                MountPropagation.PropagationPrivate => ("rprivate", null),
                MountPropagation.PropagationHostToContainer => ("rslave", "rslave"),
                MountPropagation.PropagationBidirectional => ("rshared", "rshared"),
                _ => throw new InvalidArgumentException($"mounts.propagation: unknown value {mount.Propagation}"),
            };
            if (rootPropagation == "rshared" || (rootPropagation == "rslave" && propagation is null))
                propagation = rootPropagation;
            var container = Clean(mount.ContainerPath);
            // A CRI mount replaces ours at the same place; one over /dev replaces everything we put under it.
            mounts.RemoveAll(m => m.Destination == container || (container == "/dev" && m.Destination.StartsWith("/dev/", StringComparison.Ordinal)));
            mounts.Add(new OciMount(container, "bind", mount.HostPath, ["rbind", option, mount.Readonly ? "ro" : "rw"]));
        }

        return (mounts, propagation);
    }

    private static Mount Validate(Mount mount)
    {
        if (!mount.HostPath.StartsWith('/'))
            throw new InvalidArgumentException($"mounts.host_path: \"{mount.HostPath}\" is not absolute");
        if (!mount.ContainerPath.StartsWith('/') || mount.ContainerPath.Split('/').Contains(".."))
            throw new InvalidArgumentException($"mounts.container_path: \"{mount.ContainerPath}\" is not a clean absolute path");
        if (mount.HostPath.Contains('\0', StringComparison.Ordinal) || mount.ContainerPath.Contains('\0', StringComparison.Ordinal))
            throw new InvalidArgumentException("mounts: path contains a NUL byte");
        if (mount.Image is not null && mount.Image.Image.Length > 0)
            throw new InvalidArgumentException("mounts.image: image volumes are not supported");
        return mount;
    }

    private static string Clean(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return "/" + string.Join('/', parts);
    }

    private static void AddBind(List<OciMount> mounts, string destination, string? source, string access)
    {
        if (source is null)
            return;
        mounts.RemoveAll(m => m.Destination == destination);
        mounts.Add(new OciMount(destination, "bind", source, ["rbind", "rprivate", access]));
    }

    private static List<OciMount> Standard(bool privileged, bool unifiedHierarchy)
    {
        // Privileged containers get writable /sys and cgroup file systems, as in containerd.
        var sysAccess = privileged ? "rw" : "ro";
        return
        [
            new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            new("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", sysAccess]),
            new("/sys/fs/cgroup", unifiedHierarchy ? "cgroup2" : "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", sysAccess]),
        ];
    }
}
