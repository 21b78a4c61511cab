using System.Diagnostics;
using Caisson.Api.Cri;
using Caisson.Runtime.Driver;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Caisson.Tests.Runtime.Network;
using Caisson.Tests.Shim;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>GetContainerEvents through a real caissond: the events a kubelet's evented PLEG lives on.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ContainerEventsTests : IAsyncLifetime
{
    private readonly CniTestNetwork _net = new();
    private RegistryFixture _registry = null!;
    private DaemonFixture _daemon = null!;
    private string _image = "";
    private bool _daemonStopped;

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartAsync();
        _image = await _registry.PushAsync(TestImages.Busybox(), "events/busybox:v1");
        var shim = await PublishedShim.GetPathAsync();
        _daemon = await DaemonFixture.StartAsync(
            $"[runtime]\nshim_path = \"{shim}\"\n[cni]\nconf_dir = \"{_net.ConfDirectory}\"\n" + DaemonConfig.For(_registry));
        await _daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = _image } });
    }

    public async Task DisposeAsync()
    {
        if (!_daemonStopped)
        {
            foreach (var sandbox in (await _daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
                await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id });
        }

        await _daemon.DisposeAsync();
        await _registry.DisposeAsync();
        _net.Dispose();
    }

    private async Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}" },
            Hostname = name,
        };
        return ((await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId, config);
    }

    private async Task<string> CreateAsync(string sandbox, PodSandboxConfig sandboxConfig, string name, params string[] command) =>
        (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = sandboxConfig,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = name },
                Image = new ImageSpec { Image = _image },
                Command = { command },
            },
        })).ContainerId;

    private static ContainerStatus? StatusIn(ContainerEventResponse change, string id) =>
        change.ContainersStatuses.SingleOrDefault(s => s.Id == id);

    [Fact]
    public async Task OneContainerAndItsPodGoThroughCreatedStartedStoppedDeletedInOrder()
    {
        await using var events = await ContainerEventStream.OpenAsync(_daemon.Runtime);

        var (pod, config) = await RunPodAsync("evented");
        var podCreated = await events.NextAsync(pod, ContainerEventType.ContainerCreatedEvent);
        Assert.Equal(PodSandboxState.SandboxReady, podCreated.PodSandboxStatus.State);
        Assert.Equal("uid-evented", podCreated.PodSandboxStatus.Metadata.Uid);
        await events.NextAsync(pod, ContainerEventType.ContainerStartedEvent);

        var id = await CreateAsync(pod, config, "sleeper", "/bin/sleep", "1000");
        var created = await events.NextAsync(id, ContainerEventType.ContainerCreatedEvent);
        Assert.Equal(ContainerState.ContainerCreated, StatusIn(created, id)?.State);
        Assert.Equal(pod, created.PodSandboxStatus.Id);

        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var started = await events.NextAsync(id, ContainerEventType.ContainerStartedEvent);
        Assert.Equal(ContainerState.ContainerRunning, StatusIn(started, id)?.State);

        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var stopped = await events.NextAsync(id, ContainerEventType.ContainerStoppedEvent);
        Assert.Equal(ContainerState.ContainerExited, StatusIn(stopped, id)?.State);
        Assert.Equal(137, StatusIn(stopped, id)?.ExitCode);

        await _daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        var deleted = await events.NextAsync(id, ContainerEventType.ContainerDeletedEvent);
        Assert.Null(StatusIn(deleted, id));
        Assert.Equal(PodSandboxState.SandboxReady, deleted.PodSandboxStatus.State);

        await _daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod });
        var podStopped = await events.NextAsync(pod, ContainerEventType.ContainerStoppedEvent);
        Assert.Equal(PodSandboxState.SandboxNotready, podStopped.PodSandboxStatus.State);
        await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod });
        var podDeleted = await events.NextAsync(pod, ContainerEventType.ContainerDeletedEvent);
        Assert.Equal(pod, podDeleted.PodSandboxStatus.Id);

        ContainerEventType[] lifecycle =
        [
            ContainerEventType.ContainerCreatedEvent, ContainerEventType.ContainerStartedEvent,
            ContainerEventType.ContainerStoppedEvent, ContainerEventType.ContainerDeletedEvent,
        ];
        Assert.Equal(lifecycle, events.TypesSeenFor(id));
        Assert.Equal(lifecycle, events.TypesSeenFor(pod));
        var times = events.Seen.Select(e => e.CreatedAt).ToList();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First < p.Second), "event times do not increase: " + string.Join(", ", times));
    }

    [Fact]
    public async Task AContainerThatExitsByItselfIsReportedStoppedWithoutAnyoneAsking()
    {
        var (pod, config) = await RunPodAsync("brief");
        var id = await CreateAsync(pod, config, "brief", "/bin/sh", "-c", "sleep 1; exit 3");
        await using var events = await ContainerEventStream.OpenAsync(_daemon.Runtime);

        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var stopped = await events.NextAsync(id, ContainerEventType.ContainerStoppedEvent, seconds: 15);

        Assert.Equal(ContainerState.ContainerExited, StatusIn(stopped, id)?.State);
        Assert.Equal(3, StatusIn(stopped, id)?.ExitCode);
        Assert.Equal("Error", StatusIn(stopped, id)?.Reason);
        Assert.Equal([ContainerEventType.ContainerStartedEvent, ContainerEventType.ContainerStoppedEvent], events.TypesSeenFor(id));
    }

    [Fact]
    public async Task AfterARestartTheDaemonStillNoticesExitsOfContainersItFoundRunning()
    {
        var (pod, config) = await RunPodAsync("survivor");
        var id = await CreateAsync(pod, config, "waiter", "/bin/sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.2; done; exit 7");
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        await _daemon.RestartAsync();
        await using var events = await ContainerEventStream.OpenAsync(_daemon.Runtime);
        var touch = await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/touch", "/tmp/go" }, Timeout = 10 });
        Assert.Equal(0, touch.ExitCode);

        var stopped = await events.NextAsync(id, ContainerEventType.ContainerStoppedEvent, seconds: 15);
        Assert.Equal(7, StatusIn(stopped, id)?.ExitCode);
    }

    [Fact]
    public async Task StoppingTheDaemonEndsOpenStreamsSoItStopsPromptly()
    {
        var events = await ContainerEventStream.OpenAsync(_daemon.Runtime);
        var (pod, _) = await RunPodAsync("last");
        await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod });
        await events.NextAsync(pod, ContainerEventType.ContainerDeletedEvent);

        var stopping = Stopwatch.StartNew();
        Assert.True(ProcessSignals.Send(_daemon.ProcessId, 15));
        _daemonStopped = true;
        var ended = await events.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        while (IsAlive(_daemon.ProcessId) && stopping.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);

        // The stream finishes with OK, not a reset, and Kestrel does not sit out its 30 s grace period.
        Assert.Null(ended);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the daemon took {stopping.Elapsed} to stop");
        await events.DisposeAsync();
    }

    /// <summary>Running, or a zombie not yet reaped (state Z after the command name in /proc/PID/stat) counts as gone.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
