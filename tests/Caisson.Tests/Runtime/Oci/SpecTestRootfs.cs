using Caisson.Api.Cri;
using Caisson.Core.Oci;
using Caisson.Runtime.Oci;

namespace Caisson.Tests.Runtime.Oci;

/// <summary>A temporary rootfs with /etc/passwd and /etc/group, and inputs for the spec builder around it.</summary>
internal sealed class SpecTestRootfs : IDisposable
{
    public const string Passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        alice:x:1000:1000:Alice:/home/alice:/bin/sh
        bob:x:1001:1001::/home/bob:/bin/sh
        broken:x:notanumber:1::/:/bin/sh
        """;

    public const string Group = """
        root:x:0:
        daemon:x:1:
        wheel:x:10:alice,root
        audio:x:29:alice
        alice:x:1000:
        bob:x:1001:
        staff:x:50:bob
        """;

    public SpecTestRootfs(bool withAccounts = true)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"caisson-ocispec-{Guid.NewGuid():N}");
        Rootfs = Path.Combine(Directory, "rootfs");
        System.IO.Directory.CreateDirectory(Path.Combine(Rootfs, "etc"));
        if (withAccounts)
        {
            File.WriteAllText(Path.Combine(Rootfs, "etc/passwd"), Passwd);
            File.WriteAllText(Path.Combine(Rootfs, "etc/group"), Group);
        }
    }

    public string Directory { get; }
    public string Rootfs { get; }

    public ContainerSpecInput Input(ContainerConfig config, ContainerDefaults? image = null, PodSandboxConfig? sandbox = null) => new()
    {
        ContainerId = "c1",
        Config = config,
        Sandbox = sandbox ?? new PodSandboxConfig { Hostname = "pod-host" },
        Image = new ImageConfig { Config = image ?? new ContainerDefaults { Cmd = ["/bin/sh"] } },
        RootfsPath = Rootfs,
        Namespaces = new SandboxNamespaces(NamespaceSource.Own, NamespaceSource.Own, NamespaceSource.Own, NamespaceSource.Own),
        Cgroup = new CgroupSettings("/caisson-test", CgroupDriver.Cgroupfs, UnifiedHierarchy: false),
        OomScoreAdjFloor = OomScoreAdjust.ReadOwn(),
    };

    public static ContainerConfig WithSecurity(LinuxContainerSecurityContext security, ContainerConfig? config = null)
    {
        config ??= new ContainerConfig();
        config.Linux = new LinuxContainerConfig { SecurityContext = security };
        return config;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A runc run may leave a busy mount point behind for a moment; the temp dir is cleaned later.
        }
    }
}
