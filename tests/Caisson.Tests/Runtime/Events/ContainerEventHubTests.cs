using Caisson.Core.Errors;
using Caisson.Runtime.Containers;
using Caisson.Runtime.Events;
using Caisson.Runtime.Sandboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Caisson.Tests.Runtime.Events;

public sealed class ContainerEventHubTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000));

    private ContainerEventHub Hub(int capacity = ContainerEventHub.DefaultCapacity, params ContainerRecord[] containers)
    {
        var hub = new ContainerEventHub(NullLoggerFactory.Instance, _time, capacity);
        hub.UseContainerSource(sandboxId => [.. containers.Where(c => c.SandboxId == sandboxId)]);
        return hub;
    }

    private static SandboxRecord Sandbox(string id) => new()
    {
        Id = id, Key = $"{id}_ns_uid_0", Name = id, Namespace = "ns", Uid = "uid", RuntimeHandler = "runc",
        State = SandboxState.Ready, Config = [], Directory = "/nonexistent",
    };

    private static ContainerRecord Container(string id, string sandboxId, ContainerState state) => new()
    {
        Id = id, SandboxId = sandboxId, Key = $"{id}_{sandboxId}_0", Name = id, Image = "busybox", ImageId = "sha256:0",
        RuntimeHandler = "runc", State = state, Bundle = "/nonexistent", WritableLayer = "/nonexistent", Config = [],
    };

    private static List<ContainerEvent> Drain(ContainerEventSubscription subscription)
    {
        var events = new List<ContainerEvent>();
        while (subscription.Reader.TryRead(out var change))
            events.Add(change);
        return events;
    }

    [Fact]
    public void Events_carry_a_snapshot_of_the_pod_without_containers_still_being_created()
    {
        var hub = Hub(ContainerEventHub.DefaultCapacity,
            Container("a", "pod", ContainerState.Running), Container("b", "pod", ContainerState.Creating), Container("c", "other", ContainerState.Running));
        using var subscription = hub.Subscribe();

        hub.Publish(ContainerEventKind.Started, "a", "pod", Sandbox("pod"));

        var change = Assert.Single(Drain(subscription));
        Assert.Equal("a", change.ContainerId);
        Assert.Equal(ContainerEventKind.Started, change.Kind);
        Assert.Equal("pod", change.Sandbox?.Id);
        Assert.Equal(["a"], change.Containers.Select(c => c.Id));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, change.CreatedAtNanoseconds);
    }

    [Fact]
    public void Every_subscriber_sees_every_event_in_order_with_increasing_timestamps_even_when_the_clock_stands_still()
    {
        var hub = Hub();
        using var first = hub.Subscribe();
        using var second = hub.Subscribe();
        var kinds = new[] { ContainerEventKind.Created, ContainerEventKind.Started, ContainerEventKind.Stopped, ContainerEventKind.Deleted };

        foreach (var kind in kinds)
            hub.Publish(kind, "a", "pod", null);

        foreach (var subscription in new[] { first, second })
        {
            var events = Drain(subscription);
            Assert.Equal(kinds, events.Select(e => e.Kind));
            Assert.True(events.Zip(events.Skip(1)).All(p => p.First.CreatedAtNanoseconds < p.Second.CreatedAtNanoseconds),
                string.Join(", ", events.Select(e => e.CreatedAtNanoseconds)));
        }
    }

    [Fact]
    public void A_subscriber_sees_only_what_is_published_after_it_subscribed()
    {
        var hub = Hub();
        hub.Publish(ContainerEventKind.Created, "early", "pod", null);
        using var subscription = hub.Subscribe();
        hub.Publish(ContainerEventKind.Created, "late", "pod", null);

        Assert.Equal(["late"], Drain(subscription).Select(e => e.ContainerId));
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_disconnected_after_what_it_had_queued_and_others_are_unaffected()
    {
        var hub = Hub(capacity: 3);
        using var slow = hub.Subscribe();
        using var fast = hub.Subscribe();
        var seenByFast = new List<string>();

        for (var i = 0; i < 5; i++)
        {
            hub.Publish(ContainerEventKind.Created, $"c{i}", "pod", null);
            seenByFast.AddRange(Drain(fast).Select(e => e.ContainerId));
        }

        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], seenByFast);
        var queued = new List<string>();
        var error = await Assert.ThrowsAsync<CaissonException>(async () =>
        {
            await foreach (var change in slow.Reader.ReadAllAsync())
                queued.Add(change.ContainerId);
        });
        Assert.Equal(["c0", "c1", "c2"], queued);
        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
    }

    [Fact]
    public async Task Closing_ends_every_subscription_normally_and_refuses_new_ones()
    {
        var hub = Hub();
        using var subscription = hub.Subscribe();
        hub.Publish(ContainerEventKind.Created, "a", "pod", null);

        hub.Close();

        var read = new List<string>();
        await foreach (var change in subscription.Reader.ReadAllAsync())
            read.Add(change.ContainerId);
        Assert.Equal(["a"], read);
        Assert.Equal(ErrorKind.Unavailable, Assert.Throws<CaissonException>(hub.Subscribe).Kind);
    }

    [Fact]
    public async Task A_disposed_subscription_ends_and_gets_nothing_more()
    {
        var hub = Hub();
        var subscription = hub.Subscribe();

        subscription.Dispose();
        hub.Publish(ContainerEventKind.Created, "a", "pod", null);

        await subscription.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(subscription.Reader.TryRead(out _));
    }
}
