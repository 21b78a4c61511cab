using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodNetworkCycleTests : IDisposable
{
    /// <summary>The issue asks for 200 create/start/stop/remove cycles; the network part of each is netns + ADD + DEL + unpin.</summary>
    private const int Cycles = 200;

    private readonly CniTestNetwork _net = new();

    [Fact]
    public async Task Repeated_set_up_and_tear_down_leaves_no_pin_mount_lease_veth_or_rule()
    {
        var linksBefore = VethNames();
        var hostPort = 32000 + _net.Number;

        for (var i = 0; i < Cycles; i++)
        {
            var pod = _net.NewPod(new PortMapping(hostPort, 8080));
            var status = await _net.Network.SetUpAsync(pod);
            Assert.True(_net.Subnet.Contains(status.Addresses[0]));
            await _net.Network.TearDownAsync(pod.SandboxId);
            NetworkNamespace.Remove(pod.NetworkNamespacePath);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_net.Pins.Directory));
        Assert.Equal([_net.Pins.Directory], MountTable.MountPoints().Where(m => m.StartsWith(_net.Pins.Directory, StringComparison.Ordinal)));
        Assert.Empty(_net.LeasedAddresses());
        Assert.Empty(Directory.EnumerateFiles(_net.Options.StateDirectory));
        Assert.Empty(HostCommands.BridgePorts(_net.BridgeName));
        // New ones only: a veth of an earlier test may still vanish meanwhile (the kernel destroys a released network
        // namespace, and the veths in it, asynchronously).
        Assert.Empty(VethNames().Except(linksBefore));
        var rules = HostCommands.IptablesRules();
        Assert.DoesNotContain($"id: \\\"t{_net.Number}-", rules, StringComparison.Ordinal);
        Assert.DoesNotContain($"--dport {hostPort} ", rules, StringComparison.Ordinal);
    }

    /// <summary>Host-side veths (what a leaking DEL leaves); other links come and go with the rest of the host.</summary>
    private static List<string> VethNames() =>
        [.. HostCommands.LinkNames().Where(l => l.StartsWith("veth", StringComparison.Ordinal)).Order()];

    public void Dispose() => _net.Dispose();
}
