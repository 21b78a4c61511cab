using Caisson.Api.Cri;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cri;

/// <summary>
/// The files a pod gives its containers (hostname, /etc/hosts, /etc/resolv.conf) and the termination message file,
/// through a real caissond and runc, read from inside with ExecSync and from the host where the kubelet reads.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodFilesTests(PodDaemonFixture pods) : IClassFixture<PodDaemonFixture>
{
    private const string TerminationPathAnnotation = "io.kubernetes.container.terminationMessagePath";
    private static readonly string[] Sleep = ["/bin/sleep", "1000"];

    [Fact]
    public async Task TheDnsConfigHostsAndHostnameShowInsideTheContainer()
    {
        var config = pods.PodConfig("files");
        config.Hostname = "files-host";
        config.DnsConfig = new DNSConfig
        {
            Servers = { "10.96.0.10", "10.96.0.11" },
            Searches = { "ns.svc.cluster.local", "svc.cluster.local" },
            Options = { "ndots:5", "timeout:2" },
        };
        var sandbox = await pods.RunPodAsync(config);
        var id = await pods.StartContainerAsync(sandbox, config, "reader", Sleep);

        Assert.Equal(
            "nameserver 10.96.0.10\nnameserver 10.96.0.11\nsearch ns.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:2\n",
            await pods.ExecAsync(id, "cat", "/etc/resolv.conf"));
        var hosts = await pods.ExecAsync(id, "cat", "/etc/hosts");
        Assert.Contains("127.0.0.1\tlocalhost\n", hosts, StringComparison.Ordinal);
        Assert.Contains("::1\tlocalhost", hosts, StringComparison.Ordinal);
        Assert.Equal("files-host\n", await pods.ExecAsync(id, "cat", "/etc/hostname"));
        Assert.Equal("files-host\n", await pods.ExecAsync(id, "hostname"));
        Assert.Contains("HOSTNAME=files-host\n", await pods.ExecAsync(id, "env"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APodWithoutAHostnameGetsTheNodesEvenWhenItsNameIsLongerThanAHostnameMayBe()
    {
        // critest's pods have names of 70+ characters and no hostname: sethostname would refuse the name.
        var config = pods.PodConfig("nohost-" + new string('n', 70));
        config.Hostname = "";
        var sandbox = await pods.RunPodAsync(config);
        var id = await pods.StartContainerAsync(sandbox, config, "reader", Sleep);

        var node = File.ReadAllText("/proc/sys/kernel/hostname");
        Assert.Equal(node, await pods.ExecAsync(id, "hostname"));
        Assert.Equal(node, await pods.ExecAsync(id, "cat", "/etc/hostname"));
    }

    [Theory]
    [InlineData("", "/dev/termination-log", "the kubelet's default path")]
    [InlineData("/tmp/custom-termination", "/tmp/custom-termination", "a path of the pod's choosing")]
    public async Task ATerminationMessageWrittenByANonRootContainerIsReadableOnTheHostWhereTheKubeletLooks(
        string annotation, string containerPath, string description)
    {
        Assert.NotNull(description);
        var config = pods.PodConfig("term" + (annotation.Length == 0 ? "default" : "custom"));
        var sandbox = await pods.RunPodAsync(config);
        var id = await pods.StartContainerAsync(sandbox, config, "dying", ["/bin/sh", "-c", $"echo goodbye > {containerPath}; exit 2"], c =>
        {
            c.Annotations[TerminationPathAnnotation] = annotation;
            c.Linux.SecurityContext.RunAsUser = new Int64Value { Value = 1000 };
        });

        var status = await pods.WaitForExitAsync(id);

        Assert.Equal(2, status.ExitCode);
        var mount = Assert.Single(status.Mounts, m => m.ContainerPath == containerPath);
        Assert.Equal("goodbye\n", await File.ReadAllTextAsync(mount.HostPath));
    }

    [Fact]
    public async Task ATerminationFileTheKubeletMountsIsUsedAndNotMountedTwice()
    {
        var config = pods.PodConfig("termkubelet");
        var sandbox = await pods.RunPodAsync(config);
        var kubeletFile = Path.Combine(pods.Daemon.Directory, $"kubelet-termination-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(kubeletFile, "");
        var id = await pods.StartContainerAsync(sandbox, config, "mounted", ["/bin/sh", "-c", "grep -c ' /dev/termination-log ' /proc/mounts; echo bye > /dev/termination-log"], c =>
        {
            c.Annotations[TerminationPathAnnotation] = "/dev/termination-log";
            c.Mounts.Add(new Mount { ContainerPath = "/dev/termination-log", HostPath = kubeletFile });
        });

        var status = await pods.WaitForExitAsync(id);

        Assert.Equal(0, status.ExitCode);
        Assert.Equal(kubeletFile, Assert.Single(status.Mounts, m => m.ContainerPath == "/dev/termination-log").HostPath);
        Assert.Equal("bye\n", await File.ReadAllTextAsync(kubeletFile));
        Assert.EndsWith(" stdout F 1", (await File.ReadAllLinesAsync(status.LogPath)).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheAnnotationNoTerminationFileIsMade()
    {
        var config = pods.PodConfig("termnone");
        var sandbox = await pods.RunPodAsync(config);
        var id = await pods.StartContainerAsync(sandbox, config, "plain", ["/bin/sh", "-c", "test ! -e /dev/termination-log"]);

        var status = await pods.WaitForExitAsync(id);

        Assert.Equal(0, status.ExitCode);
        Assert.Empty(status.Mounts);
    }
}
