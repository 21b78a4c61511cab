using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Tests.Cli.Fakes;

namespace Caisson.Tests.Cli.Containers;

/// <summary>ps and pods against canned daemon answers and a fixed clock: the exact tables people see.</summary>
public sealed class ListingFormatTests
{
    private static readonly string WebId = "a1b2c3d4e5f6" + new string('0', 52);
    private static readonly string JobId = "0f0e0d0c0b0a" + new string('1', 52);
    private static readonly string KubeId = "99887766aabb" + new string('2', 52);
    private static readonly string WebPod = "5a5a5a5a5a5a" + new string('3', 52);
    private static readonly string KubePod = "7c7c7c7c7c7c" + new string('4', 52);

    [Fact]
    public async Task PsShowsRunningContainersNewestFirst()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("ps");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "CONTAINER ID   IMAGE                   COMMAND                  CREATED         STATUS         POD         NAME\n" +
            "a1b2c3d4e5f6   nginx                   \"/docker-entrypoint.…\"   3 minutes ago   Up 3 minutes   web         web\n" +
            "99887766aabb   registry.k8s.io/pause                            2 hours ago     Up 2 hours     coredns-1   pause\n",
            result.Out);
    }

    [Fact]
    public async Task PsAllAddsExitedOnesAndNoTruncKeepsEverythingWhole()
    {
        await using var daemon = await StartAsync();

        var all = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("ps", "-a");
        var quiet = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("ps", "-aq", "--no-trunc");

        // The job's pod is gone: the POD column falls back to the pod id.
        Assert.Equal(
            "CONTAINER ID   IMAGE                   COMMAND                  CREATED          STATUS                     POD            NAME\n" +
            "0f0e0d0c0b0a   busybox                 \"sh -c exit 3\"           10 seconds ago   Exited (3) 2 seconds ago   5a5a5a5a5a5a   job\n" +
            "a1b2c3d4e5f6   nginx                   \"/docker-entrypoint.…\"   3 minutes ago    Up 3 minutes               web            web\n" +
            "99887766aabb   registry.k8s.io/pause                            2 hours ago      Up 2 hours                 coredns-1      pause\n",
            all.Out);
        Assert.Equal($"{JobId}\n{WebId}\n{KubeId}\n", quiet.Out);
    }

    [Fact]
    public async Task PsJsonHasFullDetails()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("ps", "-a", "-o", "json");

        using var json = JsonDocument.Parse(result.Out);
        var job = json.RootElement[0];
        Assert.Equal(JobId, job.GetProperty("Id").GetString());
        Assert.Equal("exited", job.GetProperty("State").GetString());
        Assert.Equal(3, job.GetProperty("ExitCode").GetInt32());
        Assert.Equal("2025-06-01T11:59:58Z", job.GetProperty("FinishedAt").GetString());
        Assert.Equal("", job.GetProperty("PodName").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement[1].GetProperty("ExitCode").ValueKind);
        Assert.Equal(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], json.RootElement[1].GetProperty("Command").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PodsShowsEveryPodWithItsAddress()
    {
        await using var daemon = await StartAsync();

        var table = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("pods");
        var quiet = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("pods", "-q");
        var json = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("pods", "-o", "json");

        Assert.Equal(
            "POD ID         NAME        NAMESPACE     STATE      CREATED         IP           RUNTIME\n" +
            "5a5a5a5a5a5a   web         caisson       Ready      3 minutes ago   10.88.0.7    runc\n" +
            "7c7c7c7c7c7c   coredns-1   kube-system   NotReady   3 hours ago     10.88.0.12   crun\n",
            table.Out);
        Assert.Equal("5a5a5a5a5a5a\n7c7c7c7c7c7c\n", quiet.Out);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("10.88.0.7", document.RootElement[0].GetProperty("Ip").GetString());
        Assert.Equal("run", document.RootElement[0].GetProperty("Labels").GetProperty("io.caisson.cli").GetString());
    }

    private static async Task<FakeDaemon> StartAsync()
    {
        var daemon = await FakeDaemon.StartAsync();
        var state = daemon.State;
        AddContainer(state, WebId, "web", "nginx", WebPod, ContainerState.ContainerRunning, TimeSpan.FromMinutes(3), "[\"/docker-entrypoint.sh\",\"nginx\",\"-g\",\"daemon off;\"]");
        AddContainer(state, JobId, "job", "busybox", "5a5a5a5a5a5a9999", ContainerState.ContainerExited, TimeSpan.FromSeconds(10), "[\"sh\",\"-c\",\"exit 3\"]");
        AddContainer(state, KubeId, "pause", "registry.k8s.io/pause", KubePod, ContainerState.ContainerRunning, TimeSpan.FromHours(2), null);
        state.ContainerStatuses[JobId].FinishedAt = Nanoseconds(CliHarness.Now.AddSeconds(-2));
        state.ContainerStatuses[JobId].ExitCode = 3;
        AddPod(state, WebPod, "web", "caisson", PodSandboxState.SandboxReady, TimeSpan.FromMinutes(3), "10.88.0.7", "runc");
        AddPod(state, KubePod, "coredns-1", "kube-system", PodSandboxState.SandboxNotready, TimeSpan.FromHours(3), "10.88.0.12", "crun");
        state.Pods[0].Labels["io.caisson.cli"] = "run";
        return daemon;
    }

    private static void AddContainer(
        FakeDaemonState state, string id, string name, string image, string pod, ContainerState containerState, TimeSpan age, string? command)
    {
        var created = Nanoseconds(CliHarness.Now - age);
        var container = new Container
        {
            Id = id,
            PodSandboxId = pod,
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = image },
            State = containerState,
            CreatedAt = created,
        };
        if (command is not null)
            container.Annotations["io.caisson.cli.command"] = command;
        state.Containers.Add(container);
        state.ContainerStatuses[id] = new ContainerStatus { Id = id, State = containerState, CreatedAt = created, StartedAt = created };
    }

    private static void AddPod(FakeDaemonState state, string id, string name, string ns, PodSandboxState podState, TimeSpan age, string ip, string runtime)
    {
        var pod = new PodSandbox
        {
            Id = id,
            Metadata = new PodSandboxMetadata { Name = name, Namespace = ns, Uid = "u-" + name },
            State = podState,
            CreatedAt = Nanoseconds(CliHarness.Now - age),
            RuntimeHandler = runtime,
        };
        pod.Labels.Add(new Dictionary<string, string>());
        state.Pods.Add(pod);
        state.PodStatuses[id] = new PodSandboxStatus { Id = id, Network = new PodSandboxNetworkStatus { Ip = ip } };
    }

    private static long Nanoseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;
}
