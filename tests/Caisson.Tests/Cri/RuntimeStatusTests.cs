using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>Status, RuntimeConfig and UpdateRuntimeConfig through a real daemon.</summary>
[Trait("Category", "Integration")]
public sealed class RuntimeStatusTests
{
    [Fact]
    public async Task NetworkBecomesReadyWhenACniConfigAppears()
    {
        var confDir = Directory.CreateTempSubdirectory("caisson-cni-conf-").FullName;
        try
        {
            await using var daemon = await DaemonFixture.StartAsync($"[cni]\nconf_dir = \"{confDir}\"\n");

            var before = await daemon.Runtime.StatusAsync(new StatusRequest());
            var runtime = before.Status.Conditions.Single(c => c.Type == "RuntimeReady");
            Assert.True(runtime.Status, $"{runtime.Reason}: {runtime.Message}");
            var network = before.Status.Conditions.Single(c => c.Type == "NetworkReady");
            Assert.False(network.Status);
            Assert.Equal("NetworkPluginNotReady", network.Reason);
            Assert.Contains(confDir, network.Message, StringComparison.Ordinal);
            Assert.Contains(before.RuntimeHandlers, h => h.Name == "runc");
            Assert.Contains(before.RuntimeHandlers, h => h.Name == "");

            await File.WriteAllTextAsync(Path.Combine(confDir, "10-test.conflist"), """{"cniVersion":"1.0.0","name":"t","plugins":[{"type":"loopback"}]}""");
            var after = await daemon.Runtime.StatusAsync(new StatusRequest());
            Assert.True(after.Status.Conditions.Single(c => c.Type == "NetworkReady").Status);
        }
        finally
        {
            Directory.Delete(confDir, recursive: true);
        }
    }

    [Fact]
    public async Task MissingRuntimeBinaryIsNotReady()
    {
        await using var daemon = await DaemonFixture.StartAsync("[runtime.handlers.runc]\npath = \"/nonexistent/runc\"\n");
        var status = await daemon.Runtime.StatusAsync(new StatusRequest());
        var runtime = status.Status.Conditions.Single(c => c.Type == "RuntimeReady");
        Assert.False(runtime.Status);
        Assert.Equal("RuntimeBinaryMissing", runtime.Reason);
        Assert.Contains("/nonexistent/runc", runtime.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodCidrIsKeptAcrossRestartsAndValidated()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        Assert.Equal(CgroupDriver.Cgroupfs, (await daemon.Runtime.RuntimeConfigAsync(new RuntimeConfigRequest())).Linux.CgroupDriver);

        await daemon.Runtime.UpdateRuntimeConfigAsync(new UpdateRuntimeConfigRequest
        {
            RuntimeConfig = new RuntimeConfig { NetworkConfig = new NetworkConfig { PodCidr = "10.244.3.0/24" } },
        });
        await daemon.RestartAsync();
        var status = await daemon.Runtime.StatusAsync(new StatusRequest { Verbose = true });
        Assert.Equal("10.244.3.0/24", status.Info["podCidr"]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await daemon.Runtime.UpdateRuntimeConfigAsync(new UpdateRuntimeConfigRequest
        {
            RuntimeConfig = new RuntimeConfig { NetworkConfig = new NetworkConfig { PodCidr = "not-a-cidr" } },
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("pod_cidr", error.Status.Detail, StringComparison.Ordinal);
    }
}
