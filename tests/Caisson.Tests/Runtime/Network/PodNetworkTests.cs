using System.Net;
using System.Net.Sockets;
using Caisson.Core.Errors;
using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodNetworkTests : IDisposable
{
    private readonly CniTestNetwork _net = new();

    [Fact]
    public async Task Set_up_gives_the_pod_an_address_in_the_subnet_that_answers_from_the_host()
    {
        var pod = _net.NewPod();

        var status = await _net.Network.SetUpAsync(pod);

        var address = Assert.Single(status.Addresses);
        Assert.True(_net.Subnet.Contains(address), $"{address} is not in {_net.Subnet}");
        Assert.Contains(status.Result.Interfaces, i => i.Name == "eth0" && i.Sandbox == pod.NetworkNamespacePath);
        Assert.Equal(IPAddress.Parse($"10.250.{_net.Number}.1"), status.Result.Ips[0].Gateway);
        Assert.Equal([address.ToString()], _net.LeasedAddresses());

        // A socket belongs to the namespace it was made in, whichever thread uses it afterwards.
        using var listener = NetworkNamespace.RunInside(pod.NetworkNamespacePath, () => Listen(address, 8080));
        await AssertAnswersAsync(listener, new IPEndPoint(address, 8080));
    }

    [Fact]
    public async Task Loopback_is_up_inside_the_pod()
    {
        var pod = _net.NewPod();

        await _net.Network.SetUpAsync(pod);

        var loopback = NetworkNamespace.RunInside(pod.NetworkNamespacePath, () =>
            System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Single(i => i.Name == "lo"));
        Assert.Equal(System.Net.NetworkInformation.OperationalStatus.Up, loopback.OperationalStatus);
        using var listener = NetworkNamespace.RunInside(pod.NetworkNamespacePath, () => Listen(IPAddress.Loopback, 9000));
        NetworkNamespace.RunInside(pod.NetworkNamespacePath, () =>
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(IPAddress.Loopback, 9000);
        });
    }

    [Fact]
    public async Task Tear_down_releases_the_address_removes_the_veth_and_can_be_repeated()
    {
        var pod = _net.NewPod();
        await _net.Network.SetUpAsync(pod);
        Assert.Single(HostCommands.BridgePorts(_net.BridgeName));

        await _net.Network.TearDownAsync(pod.SandboxId);
        await _net.Network.TearDownAsync(pod.SandboxId);

        Assert.Empty(_net.LeasedAddresses());
        Assert.Empty(HostCommands.BridgePorts(_net.BridgeName));
        Assert.False(_net.Network.IsRecorded(pod.SandboxId));
        Assert.DoesNotContain(pod.SandboxId, HostCommands.IptablesRules(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tear_down_after_the_netns_is_gone_still_releases_the_address_and_the_port_rules()
    {
        var pod = _net.NewPod(new PortMapping(31000 + _net.Number, 80));
        await _net.Network.SetUpAsync(pod);
        NetworkNamespace.Remove(pod.NetworkNamespacePath);

        await _net.Network.TearDownAsync(pod.SandboxId);

        Assert.Empty(_net.LeasedAddresses());
        Assert.False(_net.Network.IsRecorded(pod.SandboxId));
        // What stays is the bridge plugin's masquerade chain (it needs the netns to learn the address): a known
        // limitation of the plugin, which is why teardown must come before the netns is removed.
        var left = HostCommands.IptablesRules().Split('\n').Where(r => r.Contains(pod.SandboxId, StringComparison.Ordinal)).ToList();
        Assert.All(left, rule => Assert.Matches("^-A (POSTROUTING|CNI-[0-9a-f]+) .* -j (CNI-[0-9a-f]+|ACCEPT|MASQUERADE)$", rule));
        HostCommands.RemoveMasqueradeRules(pod.SandboxId);
        Assert.DoesNotContain(pod.SandboxId, HostCommands.IptablesRules(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tear_down_works_from_the_record_alone_as_after_a_daemon_restart()
    {
        var pod = _net.NewPod();
        await _net.Network.SetUpAsync(pod);
        // The conf dir changing meanwhile must not matter: DEL runs the list recorded at ADD.
        File.Delete(_net.ConfigPath);

        await new PodNetwork(_net.Options).TearDownAsync(pod.SandboxId);

        Assert.Empty(_net.LeasedAddresses());
        Assert.Empty(HostCommands.BridgePorts(_net.BridgeName));
    }

    [Fact]
    public async Task Setting_up_again_returns_the_recorded_result()
    {
        var pod = _net.NewPod();
        var first = await _net.Network.SetUpAsync(pod);

        var second = await _net.Network.SetUpAsync(pod);

        Assert.Equal(first.Addresses, second.Addresses);
        Assert.Single(_net.LeasedAddresses());
    }

    [Fact]
    public async Task Port_mappings_forward_from_localhost_through_dnat_rules_that_are_gone_after_tear_down()
    {
        var hostPort = 30000 + _net.Number;
        var pod = _net.NewPod(new PortMapping(hostPort, 8080));
        var status = await _net.Network.SetUpAsync(pod);

        var rules = HostCommands.IptablesRules();
        Assert.Contains($"--dport {hostPort} ", rules, StringComparison.Ordinal);
        Assert.Contains($"-j DNAT --to-destination {status.Addresses[0]}:8080", rules, StringComparison.Ordinal);
        using (var listener = NetworkNamespace.RunInside(pod.NetworkNamespacePath, () => Listen(status.Addresses[0], 8080)))
            await AssertAnswersAsync(listener, new IPEndPoint(IPAddress.Loopback, hostPort));

        await _net.Network.TearDownAsync(pod.SandboxId);

        rules = HostCommands.IptablesRules();
        Assert.DoesNotContain($"--dport {hostPort} ", rules, StringComparison.Ordinal);
        Assert.DoesNotContain(pod.SandboxId, rules, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_plugin_is_named_and_nothing_is_left_behind()
    {
        File.WriteAllText(_net.ConfigPath, File.ReadAllText(_net.ConfigPath).Replace("\"portmap\"", "\"no-such-plugin\"", StringComparison.Ordinal));
        var pod = _net.NewPod();

        var error = await Assert.ThrowsAsync<CaissonException>(() => _net.Network.SetUpAsync(pod));

        Assert.Contains("'no-such-plugin' not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(_net.ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Empty(_net.LeasedAddresses());
        Assert.Empty(HostCommands.BridgePorts(_net.BridgeName));
    }

    [Fact]
    public async Task A_plugin_error_object_becomes_an_error_naming_the_plugin_and_the_failed_add_is_undone()
    {
        // A /30 holds the gateway and one pod; host-local answers the second with the spec's error object.
        var network = IPNetwork.Parse($"10.250.{_net.Number}.0/24");
        File.WriteAllText(_net.ConfigPath, File.ReadAllText(_net.ConfigPath).Replace(network.ToString(), $"10.250.{_net.Number}.0/30", StringComparison.Ordinal));
        var first = _net.NewPod();
        await _net.Network.SetUpAsync(first);
        var second = _net.NewPod();

        var error = await Assert.ThrowsAsync<CaissonException>(() => _net.Network.SetUpAsync(second));

        Assert.Contains("CNI plugin 'bridge' (/usr/lib/cni/bridge) ADD failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("no IP addresses available", error.Message, StringComparison.Ordinal);
        Assert.Contains("CNI error code", error.Message, StringComparison.Ordinal);
        Assert.False(_net.Network.IsRecorded(second.SandboxId));
        Assert.Single(_net.LeasedAddresses());
        Assert.Single(HostCommands.BridgePorts(_net.BridgeName));
    }

    public void Dispose() => _net.Dispose();

    private static Socket Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen();
        return socket;
    }

    private static async Task AssertAnswersAsync(Socket listener, IPEndPoint endpoint)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accepted = listener.AcceptAsync(timeout.Token);
        using var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint, timeout.Token);
        using var server = await accepted;
        await server.SendAsync("hello"u8.ToArray(), timeout.Token);
        var buffer = new byte[5];
        Assert.Equal(5, await client.ReceiveAsync(buffer, timeout.Token));
        Assert.Equal("hello"u8.ToArray(), buffer);
    }
}
