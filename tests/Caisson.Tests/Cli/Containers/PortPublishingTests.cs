using Caisson.Api.Cri;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Tests.Cli.Containers;

public sealed class PortPublishingTests
{
    [Theory]
    [InlineData("host and container port", "8080:80", "tcp :8080->80")]
    [InlineData("host address", "127.0.0.1:8080:80", "tcp 127.0.0.1:8080->80")]
    [InlineData("empty host address means all", ":8080:80", "tcp :8080->80")]
    [InlineData("udp", "5353:53/udp", "udp :5353->53")]
    [InlineData("protocol in capitals", "5353:53/UDP", "udp :5353->53")]
    [InlineData("sctp", "9000:9000/sctp", "sctp :9000->9000")]
    [InlineData("IPv6 host address in brackets", "[::1]:8080:80", "tcp ::1:8080->80")]
    [InlineData("ranges map port by port", "8000-8002:80-82", "tcp :8000->80|tcp :8001->81|tcp :8002->82")]
    [InlineData("a one-port range", "8000-8000:80", "tcp :8000->80")]
    public void Parses(string description, string value, string expected)
    {
        var mappings = PortPublishing.Parse(value);

        var text = string.Join('|', mappings.Select(m => $"{m.Protocol.ToString().ToLowerInvariant()} {m.HostIp}:{m.HostPort}->{m.ContainerPort}"));
        Assert.True(text == expected, $"{description}: got {text}");
    }

    [Theory]
    [InlineData("no host port", "80", "-p 80: give the host port too (-p HOST:CONTAINER, e.g. -p 8080:80); a pod port is only published on a port you choose")]
    [InlineData("empty host port", "127.0.0.1::80", "-p 127.0.0.1::80: give the host port too (-p HOST:CONTAINER, e.g. -p 8080:80); a pod port is only published on a port you choose")]
    [InlineData("port out of range", "70000:80", "-p 70000:80: host port \"70000\" is not a number from 1 to 65535")]
    [InlineData("port zero", "8080:0", "-p 8080:0: container port \"0\" is not a number from 1 to 65535")]
    [InlineData("not a number", "web:80", "-p web:80: host port \"web\" is not a number from 1 to 65535")]
    [InlineData("unknown protocol", "8080:80/icmp", "-p 8080:80/icmp: unknown protocol \"icmp\": use tcp, udp or sctp")]
    [InlineData("bad host address", "localhost:8080:80", "-p localhost:8080:80: \"localhost\" is not an IP address")]
    [InlineData("too many parts", "1:2:3:4", "-p 1:2:3:4: want [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]")]
    [InlineData("ranges of different lengths", "8000-8001:80", "-p 8000-8001:80: the host range has 2 ports and the container range 1")]
    [InlineData("backwards range", "8001-8000:80-81", "-p 8001-8000:80-81: the host port range 8001-8000 ends before it starts")]
    [InlineData("IPv6 without brackets' end", "[::1:8080:80", "-p [::1:8080:80: an IPv6 host address is written [ADDRESS]:HOST:CONTAINER")]
    public void RefusesWithTheReason(string description, string value, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => PortPublishing.Parse(value));

        Assert.True(error.Message == expected, $"{description}: got {error.Message}");
    }

    [Fact]
    public void AnIpv6AddressIsKeptAsWritten()
    {
        var mapping = Assert.Single(PortPublishing.Parse("[fd00::1]:53:53/udp"));

        Assert.Equal(new PortMapping { HostIp = "fd00::1", HostPort = 53, ContainerPort = 53, Protocol = Protocol.Udp }, mapping);
    }
}
