using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Caisson.Api.Cri;
using Caisson.Runtime.Cgroups;
using Caisson.Testing.Daemon;
using Caisson.Tests.Runtime.Network;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>PodSandboxStats and ListPodSandboxStats through a real caissond: real cgroups, a real pod network.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodSandboxStatsTests : IAsyncLifetime
{
    // Fills 20 MiB of page cache in the container's cgroup, then stays as two processes: sleep is not the script's
    // last command, so sh waits for it rather than exec'ing it.
    private static readonly string[] Filler = ["/bin/sh", "-c", "head -c 20971520 /dev/zero > /tmp/fill; sleep 3600; exit 0"];
    private const ulong FillBytes = 20 * 1024 * 1024;

    private readonly List<string> _cgroupParents = [];
    private CriTestDaemon _bed = null!;

    private DaemonFixture Daemon => _bed.Daemon;

    public async Task InitializeAsync() => _bed = await CriTestDaemon.StartAsync("stats/busybox:v1");

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();

        // runc removes a container's cgroup, not the parents it made for it.
        foreach (var parent in _cgroupParents)
            RemoveCgroup(parent);
    }

    private Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name, string cgroupParent = "", bool hostNetwork = false)
    {
        if (cgroupParent.Length > 0)
            _cgroupParents.Add(cgroupParent);
        return _bed.RunPodAsync(name, config =>
        {
            config.Annotations["note"] = $"pod {name}";
            config.Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = cgroupParent,
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = hostNetwork ? NamespaceMode.Node : NamespaceMode.Pod },
                },
            };
        });
    }

    private async Task<string> StartAsync(string sandbox, PodSandboxConfig sandboxConfig, string name, params string[] command)
    {
        var id = await _bed.CreateContainerAsync(sandbox, sandboxConfig, name, command);
        await Daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        return id;
    }

    private async Task<PodSandboxStats> StatsAsync(string sandbox) =>
        (await Daemon.Runtime.PodSandboxStatsAsync(new PodSandboxStatsRequest { PodSandboxId = sandbox })).Stats;

    /// <summary>
    /// Stats once the filler has written its file and the pod has settled at <paramref name="processes"/> processes
    /// (a container just started still counts runc's init threads); the last stats read after 30 s otherwise.
    /// </summary>
    private async Task<PodSandboxStats> StatsWhenSettledAsync(string sandbox, ulong processes)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = await StatsAsync(sandbox);
            var linux = stats.Linux;
            if ((linux.Memory?.UsageBytes?.Value >= FillBytes && linux.Process?.ProcessCount?.Value == processes) || deadline.Elapsed > TimeSpan.FromSeconds(30))
                return stats;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task AReadyPodReportsTheSumOfItsContainersAndTheTrafficOfItsInterface()
    {
        var (pod, config) = await RunPodAsync("busy");
        var filler = await StartAsync(pod, config, "filler", Filler);
        var idle = await StartAsync(pod, config, "idle", "/bin/sleep", "3600");

        var stats = await StatsWhenSettledAsync(pod, processes: 3);

        Assert.Equal(pod, stats.Attributes.Id);
        Assert.Equal("busy", stats.Attributes.Metadata.Name);
        Assert.Equal("busy", stats.Attributes.Labels["app"]);
        Assert.Equal("pod busy", stats.Attributes.Annotations["note"]);
        var linux = stats.Linux;
        Assert.True(linux.Memory.UsageBytes.Value >= FillBytes, $"memory usage {linux.Memory.UsageBytes.Value}");
        Assert.True(linux.Memory.WorkingSetBytes.Value > 0);
        Assert.True(linux.Cpu.UsageCoreNanoSeconds.Value > 0);
        Assert.True(linux.Cpu.Timestamp > 0);
        Assert.Equal(3UL, linux.Process.ProcessCount.Value); // sh and sleep in one container, sleep in the other

        // No cgroup of its own: the pod is exactly the sum of its containers.
        var containers = linux.Containers.ToDictionary(c => c.Attributes.Id);
        Assert.Equal(new[] { filler, idle }.Order(StringComparer.Ordinal), containers.Keys.Order(StringComparer.Ordinal));
        Assert.True(containers[filler].Memory.UsageBytes.Value >= FillBytes);
        Assert.True(containers[filler].Memory.UsageBytes.Value + containers[idle].Memory.UsageBytes.Value >= FillBytes);

        // Traffic sent from the host to the pod's IP arrives on its eth0.
        var ip = (await Daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = pod })).Status.Network.Ip;
        var before = linux.Network.DefaultInterface;
        Assert.Equal("eth0", before.Name);
        Assert.DoesNotContain(linux.Network.Interfaces, i => i.Name is "lo" or "eth0");
        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            for (var i = 0; i < 50; i++)
                await udp.SendAsync(new byte[1000], new IPEndPoint(IPAddress.Parse(ip), 9));
        }

        var after = (await StatsAsync(pod)).Linux.Network.DefaultInterface;
        Assert.True(after.RxBytes.Value >= before.RxBytes.Value + 50_000, $"rx bytes {before.RxBytes.Value} -> {after.RxBytes.Value}");
        Assert.Equal(0UL, after.RxErrors.Value);
        Assert.True(after.TxBytes.Value >= before.TxBytes.Value);
    }

    [Fact]
    public async Task APodWithACgroupParentOfItsOwnIsReadFromThatCgroup()
    {
        var parent = $"/caisson-test-pod-{Guid.NewGuid():N}";
        var (pod, config) = await RunPodAsync("owned", cgroupParent: parent);
        await StartAsync(pod, config, "filler", Filler);
        // The pod shares a PID namespace, so its pause is in its cgroup too, with every thread counted.
        var pause = Assert.Single(PodNamespaceTests.PauseProcesses(pod));
        var pauseTasks = ulong.Parse(File.ReadLines($"/proc/{pause}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
        await StatsWhenSettledAsync(pod, processes: 2 + pauseTasks);

        // A process in the pod's cgroup but in no container: only reading the pod's cgroup counts it.
        var pids = CgroupPaths.For(parent + "/extra").Directory("pids")!;
        Directory.CreateDirectory(pids);
        using var outsider = Process.Start("/bin/sleep", "3600");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(pids, "cgroup.procs"), outsider.Id.ToString(CultureInfo.InvariantCulture));
            var stats = await StatsAsync(pod);

            Assert.Equal(3 + pauseTasks, stats.Linux.Process.ProcessCount.Value); // the filler's sh and sleep, the outsider and the pause
            Assert.True(stats.Linux.Memory.UsageBytes.Value >= FillBytes);
            Assert.True(stats.Linux.Cpu.UsageCoreNanoSeconds.Value >= Assert.Single(stats.Linux.Containers).Cpu.UsageCoreNanoSeconds.Value);
        }
        finally
        {
            outsider.Kill();
            await outsider.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ListsFilterByIdPrefixAndLabelsAndSkipPodsThatAreNotReady()
    {
        var (web, webConfig) = await RunPodAsync("web");
        await StartAsync(web, webConfig, "sleeper", "/bin/sleep", "3600");
        var (db, _) = await RunPodAsync("db");
        var (host, _) = await RunPodAsync("host", hostNetwork: true);
        var (stopped, _) = await RunPodAsync("stopped");
        await Daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = stopped });

        async Task<List<string>> ListAsync(PodSandboxStatsFilter? filter) =>
            [.. (await Daemon.Runtime.ListPodSandboxStatsAsync(new ListPodSandboxStatsRequest { Filter = filter })).Stats
                .Select(s => s.Attributes.Metadata.Name).Order(StringComparer.Ordinal)];

        Assert.Equal(["db", "host", "web"], await ListAsync(null));
        Assert.Equal(["web"], await ListAsync(new PodSandboxStatsFilter { Id = web[..12] }));
        Assert.Equal(["db"], await ListAsync(new PodSandboxStatsFilter { LabelSelector = { ["app"] = "db" } }));
        Assert.Empty(await ListAsync(new PodSandboxStatsFilter { Id = web[..12], LabelSelector = { ["app"] = "db" } }));
        Assert.Empty(await ListAsync(new PodSandboxStatsFilter { Id = stopped }));

        // The web pod's one container is listed with its own stats.
        var listed = (await Daemon.Runtime.ListPodSandboxStatsAsync(new ListPodSandboxStatsRequest { Filter = new PodSandboxStatsFilter { Id = web } })).Stats;
        Assert.Equal("sleeper", Assert.Single(Assert.Single(listed).Linux.Containers).Attributes.Metadata.Name);

        // A pod on the host's network has no traffic of its own; a stopped one has no usage left, only its attributes.
        Assert.Null((await StatsAsync(host)).Linux.Network);
        Assert.NotNull((await StatsAsync(db)).Linux.Network.DefaultInterface);
        var notReady = await StatsAsync(stopped);
        Assert.Equal("stopped", notReady.Attributes.Metadata.Name);
        Assert.Null(notReady.Linux.Cpu);
        Assert.Null(notReady.Linux.Memory);
        Assert.Null(notReady.Linux.Network);

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await StatsAsync("0123456789abcdef"));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// Removes the cgroup (its leftover children first) from every cgroup hierarchy mounted, the named ones such as
    /// name=systemd included: runc makes the parent in each. What is not there is skipped.
    /// </summary>
    private static void RemoveCgroup(string cgroupsPath)
    {
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(CgroupLayout.ParseLine)
            .Where(m => m is { FileSystem: "cgroup" or "cgroup2" }).Select(m => m!.MountPoint);
        foreach (var directory in mounts.Select(m => Path.Join(m, cgroupsPath)).Where(Directory.Exists))
        {
            foreach (var child in Directory.EnumerateDirectories(directory))
                Directory.Delete(child);
            Directory.Delete(directory);
        }
    }
}
