using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Linux.FileSystem;

namespace Caisson.Runtime.Oci;

/// <summary>CRI devices (stat'ed on the host for type and numbers) to device nodes and cgroup rules.</summary>
internal static class DeviceBuilder
{
    /// <summary>Unprivileged: deny everything, then allow what was asked (runc adds the standard /dev nodes itself).</summary>
    public static (List<OciDevice> Devices, List<OciDeviceRule> Rules) Build(IEnumerable<Device> requested, bool privileged)
    {
        var devices = new List<OciDevice>();
        var rules = new List<OciDeviceRule> { new(privileged, "rwm") };
        if (privileged)
            devices.AddRange(HostDevices());
        foreach (var device in requested)
        {
            if (!device.HostPath.StartsWith('/'))
                throw new InvalidArgumentException($"devices.host_path: \"{device.HostPath}\" is not absolute");
            if (!device.ContainerPath.StartsWith('/') || device.ContainerPath.Split('/').Contains(".."))
                throw new InvalidArgumentException($"devices.container_path: \"{device.ContainerPath}\" is not a clean absolute path");
            var access = device.Permissions;
            if (access.Length == 0 || access.Any(c => c is not ('r' or 'w' or 'm')) || access.Distinct().Count() != access.Length)
                throw new InvalidArgumentException($"devices.permissions: \"{access}\" is not made of r, w and m");
            var status = Stat(device.HostPath)
                ?? throw new InvalidArgumentException($"devices.host_path: {device.HostPath} does not exist");
            var type = TypeOf(status.Kind)
                ?? throw new InvalidArgumentException($"devices.host_path: {device.HostPath} is not a device");
            devices.RemoveAll(d => d.Path == device.ContainerPath);
            devices.Add(new OciDevice(device.ContainerPath, type, status.DeviceMajor, status.DeviceMinor, status.Permissions, status.Uid, status.Gid));
            if (!privileged)
                rules.Add(new OciDeviceRule(true, access, type, status.DeviceMajor, status.DeviceMinor));
        }

        return (devices, rules);
    }

    private static FileStatus? Stat(string path)
    {
        // Device paths are often symlinks (/dev/disk/by-id/...); resolve them on the host as containerd does.
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(resolved);
        if (directory is null || !Directory.Exists(directory))
            return null;
        // Opened at the parent: the rooted file system does not cross mount points, and /dev is one.
        using var parent = RootedFileSystem.Open(directory);
        return parent.TryGetStatus(Path.GetFileName(resolved), out var status) ? status : null;
    }

    private static string? TypeOf(FileKind kind) => kind switch
    {
        FileKind.CharacterDevice => "c",
        FileKind.BlockDevice => "b",
        FileKind.Fifo => "p",
        _ => null,
    };

    /// <summary>A privileged container sees the host's device nodes (not the pseudo-terminals or the console).</summary>
    private static List<OciDevice> HostDevices()
    {
        var result = new List<OciDevice>();
        using var host = RootedFileSystem.Open("/dev");
        var pending = new Stack<string>([""]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            List<string> names;
            try
            {
                names = host.ListDirectory(directory);
            }
            catch (CaissonException)
            {
                // Another file system mounted under /dev (hugepages, a FUSE mount): not device nodes of ours.
                continue;
            }

            foreach (var name in names)
            {
                var path = directory.Length == 0 ? name : $"{directory}/{name}";
                if (path is "pts" or "shm" or "mqueue" or "console" || !host.TryGetStatus(path, out var status))
                    continue;
                if (status.Kind == FileKind.Directory)
                    pending.Push(path);
                else if (status.Kind is FileKind.CharacterDevice or FileKind.BlockDevice)
                    result.Add(new OciDevice("/dev/" + path, TypeOf(status.Kind)!, status.DeviceMajor, status.DeviceMinor, status.Permissions, status.Uid, status.Gid));
            }
        }

        return result;
    }
}
