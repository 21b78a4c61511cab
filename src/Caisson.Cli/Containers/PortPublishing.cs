using System.Globalization;
using System.Net;
using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>
/// Reads docker's <c>-p [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]</c> into CRI port mappings. Ranges of the same
/// length map port by port (<c>8000-8001:80-81</c>); an IPv6 host address goes in brackets (<c>[::1]:8080:80</c>).
/// </summary>
internal static class PortPublishing
{
    public static IReadOnlyList<PortMapping> Parse(string value)
    {
        var (ports, protocol) = SplitProtocol(value);
        var (hostIp, hostPart, containerPart) = SplitAddressAndPorts(value, ports);
        if (hostPart.Length == 0)
        {
            throw new InvalidArgumentException(
                $"-p {value}: give the host port too (-p HOST:CONTAINER, e.g. -p 8080:{containerPart}); a pod port is only published on a port you choose");
        }
        var host = ParseRange(value, hostPart, "host");
        var container = ParseRange(value, containerPart, "container");
        if (host.Count != container.Count)
            throw new InvalidArgumentException($"-p {value}: the host range has {host.Count} ports and the container range {container.Count}");
        return [.. host.Zip(container, (h, c) => new PortMapping { HostIp = hostIp, HostPort = h, ContainerPort = c, Protocol = protocol })];
    }

    private static (string Ports, Protocol Protocol) SplitProtocol(string value)
    {
        var slash = value.LastIndexOf('/');
        if (slash < 0)
            return (value, Protocol.Tcp);
        var protocol = value[(slash + 1)..].ToLowerInvariant() switch
        {
            "tcp" => Protocol.Tcp,
            "udp" => Protocol.Udp,
            "sctp" => Protocol.Sctp,
            var other => throw new InvalidArgumentException($"-p {value}: unknown protocol \"{other}\": use tcp, udp or sctp"),
        };
        return (value[..slash], protocol);
    }

    private static (string HostIp, string Host, string Container) SplitAddressAndPorts(string value, string ports)
    {
        var hostIp = "";
        if (ports.StartsWith('['))
        {
            var close = ports.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
                throw new InvalidArgumentException($"-p {value}: an IPv6 host address is written [ADDRESS]:HOST:CONTAINER");
            hostIp = CheckAddress(value, ports[1..close]);
            ports = ports[(close + 2)..];
            if (!ports.Contains(':', StringComparison.Ordinal))
                throw new InvalidArgumentException($"-p {value}: after the host address give HOST:CONTAINER ports");
        }
        var parts = ports.Split(':');
        return parts.Length switch
        {
            1 => (hostIp, "", parts[0]),
            2 => (hostIp, parts[0], parts[1]),
            3 when hostIp.Length == 0 => (CheckAddress(value, parts[0]), parts[1], parts[2]),
            _ => throw new InvalidArgumentException($"-p {value}: want [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]"),
        };
    }

    private static string CheckAddress(string value, string address)
    {
        if (address.Length == 0)
            return "";
        return IPAddress.TryParse(address, out _)
            ? address
            : throw new InvalidArgumentException($"-p {value}: \"{address}\" is not an IP address");
    }

    private static List<int> ParseRange(string value, string text, string side)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = ParsePort(value, dash < 0 ? text : text[..dash], side);
        var last = dash < 0 ? first : ParsePort(value, text[(dash + 1)..], side);
        if (last < first)
            throw new InvalidArgumentException($"-p {value}: the {side} port range {text} ends before it starts");
        return [.. Enumerable.Range(first, last - first + 1)];
    }

    private static int ParsePort(string value, string text, string side)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new InvalidArgumentException($"-p {value}: {side} port \"{text}\" is not a number from 1 to 65535");
        return port;
    }
}
