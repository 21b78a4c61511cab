using System.Net;
using System.Net.Sockets;
using Caisson.Testing.Registry;

namespace Caisson.Tests.Testing;

// The registry fixture trusts a port's answer only when its own registry holds the listening socket.
public sealed class LoopbackListenersTests
{
    [Fact]
    public void The_listening_process_owns_its_port_and_no_other_process_does()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.True(LoopbackListeners.Owns(Environment.ProcessId, port));
        Assert.False(LoopbackListeners.Owns(1, port));
    }

    [Fact]
    public void A_port_nobody_listens_on_is_owned_by_nobody()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.False(LoopbackListeners.Owns(Environment.ProcessId, port));
    }
}
