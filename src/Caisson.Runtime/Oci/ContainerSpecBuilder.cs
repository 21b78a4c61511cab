using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>Writes a container's OCI runtime config from its image config and the CRI container and sandbox configs.</summary>
internal static class ContainerSpecBuilder
{
    public static ContainerSpecResult Build(ContainerSpecInput input)
    {
        if (string.IsNullOrEmpty(input.ContainerId) || input.ContainerId.Contains('/', StringComparison.Ordinal) || input.ContainerId.StartsWith('.'))
            throw new InvalidArgumentException($"container id \"{input.ContainerId}\" is not a valid name");
        var warnings = new List<string>();
        var config = input.Config;
        var security = config.Linux?.SecurityContext;
        var privileged = security?.Privileged ?? false;
        if (privileged && !(input.Sandbox.Linux?.SecurityContext?.Privileged ?? false))
            throw new InvalidArgumentException("privileged: the pod sandbox is not privileged");
        var readonlyRootfs = security?.ReadonlyRootfs ?? false;
        var image = input.Image.Config;

        var namespaces = Namespaces(input, security?.NamespaceOptions);
        var ownNetwork = namespaces.Any(n => n.Type == "network");
        var ownIpc = namespaces.Any(n => n.Type == "ipc");
        var ownUts = namespaces.Any(n => n.Type == "uts" && n.Path is null);
        var hostname = input.Sandbox.Hostname.Length > 0 ? input.Sandbox.Hostname : null;

        var user = ImageUserResolver.Resolve(security, image?.User, AccountDatabase.Read(input.RootfsPath));
        var capabilities = privileged
            ? CapabilitySet.All.ToList()
            : CapabilitySet.Apply(input.DefaultCapabilities, security?.Capabilities);
        var ambient = CapabilitySet.Normalize(security?.Capabilities?.AddAmbientCapabilities ?? [], "capabilities.add_ambient_capabilities");
        var (devices, deviceRules) = DeviceBuilder.Build(config.Devices, privileged);
        var (mounts, propagation) = MountBuilder.Build(input, privileged, readonlyRootfs, !ownIpc, warnings);
        var (masked, readOnlyPaths) = DefaultPaths.For(security, privileged);
        var resources = config.Linux?.Resources;
        int? oomScoreAdj = resources is null ? null : OomScoreAdjust.Clamp(resources.OomScoreAdj, input.OomScoreAdjFloor, warnings);

        var spec = new OciSpec
        {
            Process = new OciProcess
            {
                Terminal = config.Tty,
                User = new OciUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids },
                Args = ProcessArguments.Args(config, image),
                Env = ProcessArguments.Environment(config, image, hostname),
                Cwd = ProcessArguments.WorkingDirectory(config, image),
                Capabilities = new OciCapabilities
                {
                    Bounding = capabilities,
                    Effective = capabilities,
                    Permitted = capabilities,
                    Inheritable = ambient.Count > 0 ? ambient : null,
                    Ambient = ambient.Count > 0 ? ambient : null,
                },
                NoNewPrivileges = security?.NoNewPrivs ?? false,
                OomScoreAdj = oomScoreAdj,
                Rlimits = [],
            },
            Root = new OciRoot(input.RootfsPath, readonlyRootfs),
            Hostname = ownUts ? hostname : null,
            Mounts = mounts,
            Linux = new OciLinux
            {
                Namespaces = namespaces,
                Devices = devices,
                CgroupsPath = CgroupsPath(input),
                Resources = ResourceBuilder.Build(resources, deviceRules, input.Cgroup.UnifiedHierarchy),
                Seccomp = SeccompSelection.Select(security, privileged, capabilities),
                Sysctl = SysctlValidator.Validate(input.Sandbox.Linux?.Sysctls ?? new Google.Protobuf.Collections.MapField<string, string>(), ownNetwork, ownIpc),
                MaskedPaths = masked,
                ReadonlyPaths = readOnlyPaths,
                RootfsPropagation = propagation,
            },
        };
        if (ambient.Any(a => !capabilities.Contains(a)))
            throw new InvalidArgumentException("capabilities.add_ambient_capabilities: an ambient capability is not in the container's set");
        return new ContainerSpecResult(spec, user, warnings);
    }

    private static List<OciNamespace> Namespaces(ContainerSpecInput input, NamespaceOption? options)
    {
        var sandbox = input.Namespaces;
        var result = new List<OciNamespace> { new("mount") };
        Add(result, "network", options?.Network == NamespaceMode.Node ? NamespaceSource.Host : sandbox.Network);
        Add(result, "ipc", options?.Ipc == NamespaceMode.Node ? NamespaceSource.Host : sandbox.Ipc);
        Add(result, "uts", options?.Network == NamespaceMode.Node ? NamespaceSource.Host : sandbox.Uts);
        var pid = options?.Pid switch
        {
            NamespaceMode.Node => NamespaceSource.Host,
            NamespaceMode.Container => NamespaceSource.Own,
            NamespaceMode.Target => sandbox.PidTarget ?? throw new InvalidArgumentException("namespace_options.pid: TARGET without a resolved target container"),
            _ => sandbox.Pid,
        };
        Add(result, "pid", pid);
        if (input.Cgroup.UnifiedHierarchy)
            result.Add(new OciNamespace("cgroup"));
        return result;
    }

    private static void Add(List<OciNamespace> namespaces, string type, NamespaceSource source)
    {
        if (!source.IsHost)
            namespaces.Add(new OciNamespace(type, source.JoinPath));
    }

    /// <summary>cgroupfs: a path under the parent; systemd: "slice:prefix:name" as runc expects.</summary>
    private static string CgroupsPath(ContainerSpecInput input)
    {
        var parent = input.Cgroup.Parent;
        if (input.Cgroup.Driver == CgroupDriver.Systemd)
            return $"{(parent.Length == 0 ? "system.slice" : parent)}:caisson:{input.ContainerId}";
        if (parent.Split('/').Contains(".."))
            throw new InvalidArgumentException($"cgroup_parent: \"{parent}\" contains \"..\"");
        return "/" + string.Join('/', parent.Split('/', StringSplitOptions.RemoveEmptyEntries).Append(input.ContainerId));
    }
}
