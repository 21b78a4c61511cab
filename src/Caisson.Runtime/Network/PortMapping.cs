using System.Text.Json.Nodes;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Network;

/// <summary>A host port forwarded to a pod port (CRI PortMapping), in the form the portmap plugin reads.</summary>
internal sealed record PortMapping(int HostPort, int ContainerPort, string Protocol = "tcp", string HostIp = "")
{
    public JsonObject ToJson()
    {
        if (HostPort is < 1 or > 65535 || ContainerPort is < 1 or > 65535)
            throw new InvalidArgumentException($"port mapping {HostPort}->{ContainerPort}: ports must be 1 to 65535");
        if (Protocol is not ("tcp" or "udp" or "sctp"))
            throw new InvalidArgumentException($"port mapping {HostPort}->{ContainerPort}: protocol '{Protocol}' is not tcp, udp or sctp");
        return new JsonObject
        {
            ["hostPort"] = HostPort,
            ["containerPort"] = ContainerPort,
            ["protocol"] = Protocol,
            ["hostIP"] = HostIp,
        };
    }

    public static PortMapping FromJson(JsonObject json) => new(
        json["hostPort"]!.GetValue<int>(),
        json["containerPort"]!.GetValue<int>(),
        json["protocol"]?.GetValue<string>() ?? "tcp",
        json["hostIP"]?.GetValue<string>() ?? "");

    /// <summary>The runtimeConfig handed to plugins that declare the portMappings capability.</summary>
    public static JsonObject RuntimeConfig(IEnumerable<PortMapping> mappings) => new()
    {
        ["portMappings"] = new JsonArray(mappings.Select(m => (JsonNode)m.ToJson()).ToArray()),
    };
}
