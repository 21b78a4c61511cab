using Caisson.Api.V1;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>caisson.v1 System.Events streams what happens to images, in order.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
public sealed class StoreEventsTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task PullTagAndRemoveAreStreamed()
    {
        var image = TestImages.Busybox();
        var reference = await registry.PushAsync(image, "events/busybox:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var events = daemon.CaissonSystem.Events(new EventsRequest(), cancellationToken: cancel.Token);
        var received = new List<Event>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in events.ResponseStream.ReadAllAsync(cancel.Token))
            {
                lock (received)
                    received.Add(e);
                if (e.Type == "image.removed")
                    return;
            }
        });

        // The server sends headers only after it has registered the subscription.
        await events.ResponseHeadersAsync;
        await daemon.Images.PullImageAsync(new Caisson.Api.Cri.PullImageRequest { Image = new Caisson.Api.Cri.ImageSpec { Image = reference } });
        await daemon.CaissonImages.TagAsync(new TagRequest { Source = reference, Target = "localhost/events:copy" });
        await daemon.CaissonImages.RemoveAsync(new RemoveRequest { Reference = image.ConfigDigest.ToString(), Force = true });
        await reader.WaitAsync(cancel.Token);

        List<Event> snapshot;
        lock (received)
            snapshot = [.. received];
        Assert.Equal(["image.pulled", "image.tagged", "image.removed"], snapshot.Select(e => e.Type));
        Assert.Equal(reference, snapshot[0].Subject);
        Assert.Equal(image.ConfigDigest.ToString(), snapshot[0].Attributes["id"]);
        Assert.Equal("localhost/events:copy", snapshot[1].Subject);
        Assert.Equal(image.ConfigDigest.ToString(), snapshot[2].Subject);
        Assert.All(snapshot, e => Assert.True(e.TimestampUnixNano > 0));
    }
}
