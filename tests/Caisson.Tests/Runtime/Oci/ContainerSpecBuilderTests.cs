using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Oci;

namespace Caisson.Tests.Runtime.Oci;

public sealed class ContainerSpecBuilderTests : IDisposable
{
    private readonly SpecTestRootfs rootfs = new();

    public void Dispose() => rootfs.Dispose();

    [Fact]
    public void JsonUsesTheRuntimeSpecNames()
    {
        var security = new LinuxContainerSecurityContext { NoNewPrivs = true, ReadonlyRootfs = true, Seccomp = new SecurityProfile() };
        var config = SpecTestRootfs.WithSecurity(security);
        config.Linux.Resources = new LinuxContainerResources { CpuShares = 512, MemoryLimitInBytes = 64 << 20, OomScoreAdj = 500 };
        var spec = ContainerSpecBuilder.Build(rootfs.Input(config)).Spec;
        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(spec, OciSpecJsonContext.Default.OciSpec));
        var root = json.RootElement;
        Assert.Equal("1.0.2", root.GetProperty("ociVersion").GetString());
        var process = root.GetProperty("process");
        Assert.True(process.GetProperty("noNewPrivileges").GetBoolean());
        Assert.Equal(500, process.GetProperty("oomScoreAdj").GetInt32());
        Assert.Equal(0u, process.GetProperty("user").GetProperty("uid").GetUInt32());
        Assert.Equal(JsonValueKind.Array, process.GetProperty("user").GetProperty("additionalGids").ValueKind);
        Assert.Contains("CAP_CHOWN", process.GetProperty("capabilities").GetProperty("bounding").EnumerateArray().Select(e => e.GetString()));
        Assert.False(process.GetProperty("capabilities").TryGetProperty("ambient", out _));
        Assert.True(root.GetProperty("root").GetProperty("readonly").GetBoolean());
        var linux = root.GetProperty("linux");
        Assert.Equal("/caisson-test/c1", linux.GetProperty("cgroupsPath").GetString());
        Assert.Equal(512, linux.GetProperty("resources").GetProperty("cpu").GetProperty("shares").GetInt32());
        Assert.Equal(64 << 20, linux.GetProperty("resources").GetProperty("memory").GetProperty("limit").GetInt64());
        Assert.Equal("SCMP_ACT_ERRNO", linux.GetProperty("seccomp").GetProperty("defaultAction").GetString());
        Assert.Contains("/proc/kcore", linux.GetProperty("maskedPaths").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("network", linux.GetProperty("namespaces").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var mount = root.GetProperty("mounts")[0];
        Assert.Equal(["destination", "type", "source", "options"], mount.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void PrivilegedGetsEverythingAndNoFilters()
    {
        var sandbox = new PodSandboxConfig { Linux = new LinuxPodSandboxConfig { SecurityContext = new LinuxSandboxSecurityContext { Privileged = true } } };
        var security = new LinuxContainerSecurityContext { Privileged = true, Seccomp = new SecurityProfile() };
        var spec = ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(security), sandbox: sandbox)).Spec;
        Assert.Null(spec.Linux.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal(CapabilitySet.All, spec.Process.Capabilities!.Bounding);
        Assert.Contains(spec.Linux.Devices, d => d.Path == "/dev/null");
        Assert.Equal([new OciDeviceRule(true, "rwm")], spec.Linux.Resources!.Devices);
    }

    [Fact]
    public void PrivilegedContainerInUnprivilegedPodIsRefused() =>
        Assert.StartsWith("privileged", Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(
            rootfs.Input(SpecTestRootfs.WithSecurity(new LinuxContainerSecurityContext { Privileged = true })))).Message, StringComparison.Ordinal);

    [Fact]
    public void CapabilitiesAddAndDrop()
    {
        var caps = new Capability();
        caps.AddCapabilities.Add("sys_admin");
        caps.DropCapabilities.AddRange(["CAP_CHOWN", "kill"]);
        var spec = ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(new LinuxContainerSecurityContext { Capabilities = caps, Seccomp = new SecurityProfile() }))).Spec;
        var bounding = spec.Process.Capabilities!.Bounding;
        Assert.Contains("CAP_SYS_ADMIN", bounding);
        Assert.DoesNotContain("CAP_CHOWN", bounding);
        Assert.DoesNotContain("CAP_KILL", bounding);
        Assert.Contains("mount", spec.Linux.Seccomp?.Syscalls?.SelectMany(r => r.Names) ?? []);
    }

    [Fact]
    public void UnknownCapabilityIsRefusedNamingTheField()
    {
        var caps = new Capability();
        caps.AddCapabilities.Add("CAP_FLY");
        var error = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(new LinuxContainerSecurityContext { Capabilities = caps }))));
        Assert.StartsWith("capabilities.add_capabilities", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Mount, string> InvalidMounts() => new()
    {
        { "relative host path", new Mount { HostPath = "rel", ContainerPath = "/x" }, "mounts.host_path" },
        { "relative container path", new Mount { HostPath = "/tmp", ContainerPath = "x" }, "mounts.container_path" },
        { "dot-dot in container path", new Mount { HostPath = "/tmp", ContainerPath = "/a/../etc" }, "mounts.container_path" },
    };

    [Theory]
    [MemberData(nameof(InvalidMounts))]
    public void InvalidMountsAreRefused(string description, Mount mount, string field)
    {
        var config = new ContainerConfig();
        config.Mounts.Add(mount);
        var error = Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(rootfs.Input(config)));
        Assert.True(error.Message.StartsWith(field, StringComparison.Ordinal), $"{description}: {error.Message}");
    }

    [Fact]
    public void MountPropagationAndRelabel()
    {
        var config = new ContainerConfig();
        config.Mounts.Add(new Mount { HostPath = "/tmp", ContainerPath = "/a", Propagation = MountPropagation.PropagationHostToContainer, Readonly = true });
        config.Mounts.Add(new Mount { HostPath = "/tmp", ContainerPath = "/b", Propagation = MountPropagation.PropagationBidirectional, SelinuxRelabel = true });
        var result = ContainerSpecBuilder.Build(rootfs.Input(config));
        Assert.Equal(["rbind", "rslave", "ro"], result.Spec.Mounts.Single(m => m.Destination == "/a").Options);
        Assert.Equal(["rbind", "rshared", "rw"], result.Spec.Mounts.Single(m => m.Destination == "/b").Options);
        Assert.Equal("rshared", result.Spec.Linux.RootfsPropagation);
        Assert.Contains(result.Warnings, w => w.Contains("relabel", StringComparison.Ordinal));
    }

    [Fact]
    public void DevicesAreStatedAndNonDevicesRefused()
    {
        var config = new ContainerConfig();
        config.Devices.Add(new Device { HostPath = "/dev/null", ContainerPath = "/dev/mynull", Permissions = "rw" });
        var spec = ContainerSpecBuilder.Build(rootfs.Input(config)).Spec;
        Assert.Contains(new OciDevice("/dev/mynull", "c", 1, 3, spec.Linux.Devices[0].FileMode, 0, 0), spec.Linux.Devices);
        Assert.Contains(new OciDeviceRule(true, "rw", "c", 1, 3), spec.Linux.Resources!.Devices);

        var bad = new ContainerConfig();
        bad.Devices.Add(new Device { HostPath = "/etc/hostname", ContainerPath = "/dev/x", Permissions = "rwm" });
        Assert.StartsWith("devices.host_path", Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(rootfs.Input(bad))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", true, null)]
    [InlineData("kernel.shmmax", true, null)]
    [InlineData("fs.mqueue.msg_max", true, null)]
    [InlineData("kernel.panic", true, "kernel.panic")]
    [InlineData("net.ipv4.ip_forward", false, "private network namespace")]
    public void SysctlsMustBeNamespaced(string name, bool ownNetwork, string? error)
    {
        var sandbox = new PodSandboxConfig { Linux = new LinuxPodSandboxConfig() };
        sandbox.Linux.Sysctls[name] = "1";
        var input = rootfs.Input(new ContainerConfig(), sandbox: sandbox);
        if (!ownNetwork)
            input = input with { Namespaces = input.Namespaces with { Network = NamespaceSource.Host } };
        if (error is null)
            Assert.Equal("1", ContainerSpecBuilder.Build(input).Spec.Linux.Sysctl![name]);
        else
            Assert.Contains(error, Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(input)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OomScoreAdjBelowTheDaemonIsRaisedWithAWarning()
    {
        var config = new ContainerConfig { Linux = new LinuxContainerConfig { Resources = new LinuxContainerResources { OomScoreAdj = -999 } } };
        var result = ContainerSpecBuilder.Build(rootfs.Input(config) with { OomScoreAdjFloor = -10 });
        Assert.Equal(-10, result.Spec.Process.OomScoreAdj);
        Assert.Contains(result.Warnings, w => w.Contains("oom_score_adj", StringComparison.Ordinal));
    }

    [Fact]
    public void ExplicitMaskedPathsReplaceTheDefaults()
    {
        var security = new LinuxContainerSecurityContext();
        security.MaskedPaths.Add("/proc/only");
        var spec = ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(security))).Spec;
        Assert.Equal(["/proc/only"], spec.Linux.MaskedPaths);
        Assert.Equal(DefaultPaths.ReadOnly, spec.Linux.ReadonlyPaths);
    }

    [Fact]
    public void DefaultSeccompProfileIsValidAndBlocksTheDangerousSyscalls()
    {
        var profile = SeccompDefaultProfile.For(CapabilitySet.ContainerdDefault);
        var json = JsonSerializer.Serialize(profile, OciSpecJsonContext.Default.OciSeccomp);
        var back = JsonSerializer.Deserialize(json, OciSpecJsonContext.Default.OciSeccomp)!;
        Assert.Equal(1u, back.DefaultErrnoRet);
        var allowed = back.Syscalls!.Where(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null).SelectMany(r => r.Names).ToHashSet();
        foreach (var blocked in new[] { "keyctl", "add_key", "request_key", "mount", "umount2", "reboot", "swapon", "swapoff", "kexec_load", "init_module", "unshare", "ptrace", "setns" })
            Assert.DoesNotContain(blocked, allowed);
        foreach (var needed in new[] { "read", "write", "execve", "openat", "exit_group", "futex" })
            Assert.Contains(needed, allowed);
        Assert.Contains(back.Syscalls!, r => r.Names.Contains("clone") && r.Args is [{ Op: "SCMP_CMP_MASKED_EQ" }]);
    }

    [Fact]
    public void LocalhostProfileIsReadAndValidated()
    {
        var path = Path.Combine(rootfs.Directory, "profile.json");
        File.WriteAllText(path, """{"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}""");
        var security = new LinuxContainerSecurityContext { Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Localhost, LocalhostRef = path } };
        Assert.Equal("SCMP_ACT_LOG", ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(security))).Spec.Linux.Seccomp!.DefaultAction);

        File.WriteAllText(path, "{not json");
        Assert.StartsWith("seccomp.localhost_ref", Assert.Throws<InvalidArgumentException>(() => ContainerSpecBuilder.Build(rootfs.Input(SpecTestRootfs.WithSecurity(security)))).Message, StringComparison.Ordinal);
    }
}
