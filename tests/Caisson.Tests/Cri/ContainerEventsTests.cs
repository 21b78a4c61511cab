using System.Diagnostics;
using Caisson.Api.Cri;
using Caisson.Runtime.Driver;
using Caisson.Testing.Daemon;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cri;

/// <summary>GetContainerEvents through a real caissond: the events a kubelet's evented PLEG lives on.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ContainerEventsTests : IAsyncLifetime
{
    private CriTestDaemon _bed = null!;

    private DaemonFixture Daemon => _bed.Daemon;

    public async Task InitializeAsync() => _bed = await CriTestDaemon.StartAsync("events/busybox:v1");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name) => _bed.RunPodAsync(name);

    private Task<string> CreateAsync(string sandbox, PodSandboxConfig sandboxConfig, string name, params string[] command) =>
        _bed.CreateContainerAsync(sandbox, sandboxConfig, name, command);

    private static ContainerStatus? StatusIn(ContainerEventResponse change, string id) =>
        change.ContainersStatuses.SingleOrDefault(s => s.Id == id);

    [Fact]
    public async Task OneContainerAndItsPodGoThroughCreatedStartedStoppedDeletedInOrder()
    {
        await using var events = await ContainerEventStream.OpenAsync(Daemon.Runtime);

        var (pod, config) = await RunPodAsync("evented");
        var podCreated = await events.NextAsync(pod, ContainerEventType.ContainerCreatedEvent);
        Assert.Equal(PodSandboxState.SandboxReady, podCreated.PodSandboxStatus.State);
        Assert.Equal("uid-evented", podCreated.PodSandboxStatus.Metadata.Uid);
        await events.NextAsync(pod, ContainerEventType.ContainerStartedEvent);

        var id = await CreateAsync(pod, config, "sleeper", "/bin/sleep", "1000");
        var created = await events.NextAsync(id, ContainerEventType.ContainerCreatedEvent);
        Assert.Equal(ContainerState.ContainerCreated, StatusIn(created, id)?.State);
        Assert.Equal(pod, created.PodSandboxStatus.Id);

        await Daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var started = await events.NextAsync(id, ContainerEventType.ContainerStartedEvent);
        Assert.Equal(ContainerState.ContainerRunning, StatusIn(started, id)?.State);

        await Daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var stopped = await events.NextAsync(id, ContainerEventType.ContainerStoppedEvent);
        Assert.Equal(ContainerState.ContainerExited, StatusIn(stopped, id)?.State);
        Assert.Equal(137, StatusIn(stopped, id)?.ExitCode);

        await Daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        var deleted = await events.NextAsync(id, ContainerEventType.ContainerDeletedEvent);
        Assert.Null(StatusIn(deleted, id));
        Assert.Equal(PodSandboxState.SandboxReady, deleted.PodSandboxStatus.State);

        await Daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod });
        var podStopped = await events.NextAsync(pod, ContainerEventType.ContainerStoppedEvent);
        Assert.Equal(PodSandboxState.SandboxNotready, podStopped.PodSandboxStatus.State);
        await Daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod });
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
        await using var events = await ContainerEventStream.OpenAsync(Daemon.Runtime);

        await Daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
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
        await Daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        await Daemon.RestartAsync();
        await using var events = await ContainerEventStream.OpenAsync(Daemon.Runtime);
        var touch = await Daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "/bin/touch", "/tmp/go" }, Timeout = 10 });
        Assert.Equal(0, touch.ExitCode);

        var stopped = await events.NextAsync(id, ContainerEventType.ContainerStoppedEvent, seconds: 15);
        Assert.Equal(7, StatusIn(stopped, id)?.ExitCode);
    }

    [Fact]
    public async Task StoppingTheDaemonEndsOpenStreamsSoItStopsPromptly()
    {
        var events = await ContainerEventStream.OpenAsync(Daemon.Runtime);
        var (pod, _) = await RunPodAsync("last");
        await Daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod });
        await events.NextAsync(pod, ContainerEventType.ContainerDeletedEvent);

        var stopping = Stopwatch.StartNew();
        Assert.True(Caisson.Linux.Interop.Signals.Send(Daemon.ProcessId, 15));
        _bed.DaemonStopped = true;
        var ended = await events.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        while (IsAlive(Daemon.ProcessId) && stopping.Elapsed < TimeSpan.FromSeconds(20))
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
