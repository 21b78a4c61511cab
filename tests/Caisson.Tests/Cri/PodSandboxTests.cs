using System.Net;
using Caisson.Api.Cri;
using Caisson.Runtime.Network;
using Caisson.Testing.Daemon;
using Caisson.Testing.Processes;
using Caisson.Tests.Runtime.Network;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>Pod sandboxes through a real caissond with Debian's CNI plugins, on a test-unique bridge and subnet.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodSandboxTests : IDisposable
{
    private readonly CniTestNetwork _net = new();

    public void Dispose() => _net.Dispose();

    // The shim is there for the pause of pods whose PID namespace is the pod's (the default when no options are given).
    private async Task<DaemonFixture> StartDaemonAsync() => await DaemonFixture.StartAsync(
        $"[runtime]\nshim_path = \"{await PublishedExecutable.ShimAsync()}\"\n[cni]\nconf_dir = \"{_net.ConfDirectory}\"\n");

    private static PodSandboxConfig Config(string name, uint attempt = 0) => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}", Attempt = attempt },
        Hostname = name,
        Labels = { ["app"] = name, ["tier"] = "test" },
        Annotations = { ["note"] = "from a test" },
        DnsConfig = new DNSConfig { Servers = { "10.96.0.10" }, Searches = { "caisson-test.svc.cluster.local" }, Options = { "ndots:5" } },
        LogDirectory = "/tmp",
    };

    [Fact]
    public async Task RunStatusListStopRemove()
    {
        await using var daemon = await StartDaemonAsync();
        var run = await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("web") });
        var id = run.PodSandboxId;

        var status = (await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id, Verbose = true })).Status;
        Assert.Equal(PodSandboxState.SandboxReady, status.State);
        Assert.Equal("web", status.Metadata.Name);
        Assert.True(_net.Subnet.Contains(IPAddress.Parse(status.Network.Ip)), $"pod IP {status.Network.Ip} is not in {_net.Subnet}");
        Assert.Equal("runc", status.RuntimeHandler);
        Assert.Equal("web", status.Labels["app"]);
        var netns = Path.Combine(daemon.State, "netns", id);
        Assert.True(NetworkNamespace.Exists(netns), "the network namespace is not pinned");
        var resolv = await File.ReadAllTextAsync(Path.Combine(daemon.State, "sandboxes", id, "resolv.conf"));
        Assert.Equal("nameserver 10.96.0.10\nsearch caisson-test.svc.cluster.local\noptions ndots:5\n", resolv);
        Assert.Equal([status.Network.Ip], _net.LeasedAddresses());

        var listed = (await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items;
        Assert.Equal(id, Assert.Single(listed).Id);
        var byLabel = await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = new PodSandboxFilter { LabelSelector = { ["app"] = "web" } } });
        Assert.Single(byLabel.Items);
        var otherLabel = await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = new PodSandboxFilter { LabelSelector = { ["app"] = "db" } } });
        Assert.Empty(otherLabel.Items);
        var byPrefix = await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = new PodSandboxFilter { Id = id[..12] } });
        Assert.Single(byPrefix.Items);

        await daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = id });
        await daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = id });
        var stopped = (await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id })).Status;
        Assert.Equal(PodSandboxState.SandboxNotready, stopped.State);
        Assert.False(File.Exists(netns), "the network namespace pin outlived StopPodSandbox");
        Assert.Empty(_net.LeasedAddresses());
        var ready = await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxReady } },
        });
        Assert.Empty(ready.Items);

        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });
        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(daemon.State, "sandboxes", id)));
    }

    [Fact]
    public async Task RetryWithTheSameMetadataGetsTheSameSandbox()
    {
        await using var daemon = await StartDaemonAsync();
        var first = daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("retry") }).ResponseAsync;
        var second = daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("retry") }).ResponseAsync;
        var ids = (await Task.WhenAll(first, second)).Select(r => r.PodSandboxId).Distinct().ToList();
        Assert.Single(ids);
        var third = await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("retry") });
        Assert.Equal(ids[0], third.PodSandboxId);
        Assert.Single(_net.LeasedAddresses());

        var nextAttempt = await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("retry", attempt: 1) });
        Assert.NotEqual(ids[0], nextAttempt.PodSandboxId);

        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = ids[0] });
        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = nextAttempt.PodSandboxId });
        Assert.Empty(_net.LeasedAddresses());
    }

    [Fact]
    public async Task SandboxesSurviveADaemonKill()
    {
        await using var daemon = await StartDaemonAsync();
        var id = (await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("durable") })).PodSandboxId;
        var before = (await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id })).Status;

        await daemon.RestartAsync();

        var after = (await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id })).Status;
        Assert.Equal(PodSandboxState.SandboxReady, after.State);
        Assert.Equal(before.Network.Ip, after.Network.Ip);
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        Assert.True(NetworkNamespace.Exists(Path.Combine(daemon.State, "netns", id)));
        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });
        Assert.Empty(_net.LeasedAddresses());
    }

    [Fact]
    public async Task HostNetworkPodsGetNoNamespaceOrAddress()
    {
        await using var daemon = await StartDaemonAsync();
        var config = Config("hostnet");
        config.Linux = new LinuxPodSandboxConfig
        {
            SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node } },
        };
        var id = (await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId;
        var status = (await daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id })).Status;
        Assert.Equal(PodSandboxState.SandboxReady, status.State);
        Assert.Equal("", status.Network.Ip);
        Assert.Equal(NamespaceMode.Node, status.Linux.Namespaces.Options.Network);
        Assert.False(File.Exists(Path.Combine(daemon.State, "netns", id)));
        Assert.Empty(_net.LeasedAddresses());
        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });
    }

    [Theory]
    [InlineData("missing name", "", "", "config.metadata.name")]
    [InlineData("underscore in name", "a_b", "", "may not contain")]
    [InlineData("hostname over 64 bytes", "x", "h23456789012345678901234567890123456789012345678901234567890123456789", "config.hostname")]
    public async Task InvalidRequestsNameTheField(string description, string name, string hostname, string expected)
    {
        await using var daemon = await StartDaemonAsync();
        var config = Config("x");
        config.Metadata.Name = name;
        config.Hostname = hostname;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
        Assert.NotEmpty(description);

        var handler = await Assert.ThrowsAsync<RpcException>(async () =>
            await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = Config("h"), RuntimeHandler = "kata" }));
        Assert.Equal(StatusCode.InvalidArgument, handler.StatusCode);
        Assert.Contains("runtime_handler \"kata\"", handler.Status.Detail, StringComparison.Ordinal);
    }
}
