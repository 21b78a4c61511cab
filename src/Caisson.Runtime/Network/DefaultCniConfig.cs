using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Images.Content;

namespace Caisson.Runtime.Network;

/// <summary>Settings of the default pod network; the defaults are what <c>caisson config default</c> writes.</summary>
internal sealed record DefaultCniConfigOptions
{
    /// <summary>Pod subnet; 10.88.0.0/16 like podman and containerd's examples, which a node rarely routes elsewhere.</summary>
    public string PodCidr { get; init; } = "10.88.0.0/16";

    public string NetworkName { get; init; } = "caisson";

    public string BridgeName { get; init; } = "caisson0";

    /// <summary>host-local's allocation directory; null keeps its default, /var/lib/cni/networks/&lt;network&gt;.</summary>
    public string? IpamDataDirectory { get; init; }

    public string FileName { get; init; } = "10-caisson.conflist";
}

/// <summary>
/// Writes the default conflist: bridge with host-local IPAM, then portmap. Loopback is not in it: like containerd,
/// <see cref="PodNetwork"/> brings up "lo" with the loopback plugin itself, so any conflist an operator drops in gets a
/// working loopback too.
/// </summary>
internal static class DefaultCniConfig
{
    public const string CniVersion = "1.0.0";

    /// <summary>Writes the conflist atomically into <paramref name="confDirectory"/> and returns its path.</summary>
    public static string Write(string confDirectory, DefaultCniConfigOptions? options = null)
    {
        options ??= new DefaultCniConfigOptions();
        var path = Path.Combine(confDirectory, options.FileName);
        var json = Build(options).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        // Parse what we wrote so a bad option fails here, naming the file, not at the first pod.
        CniConfigList.Parse(json, path);
        Durability.WriteAtomic(path, json + "\n");
        return path;
    }

    public static JsonObject Build(DefaultCniConfigOptions options)
    {
        if (!IPNetwork.TryParse(options.PodCidr, out var subnet) || subnet.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new InvalidArgumentException($"pod CIDR '{options.PodCidr}' is not an IPv4 network such as 10.88.0.0/16");
        if (subnet.ToString() != options.PodCidr)
            throw new InvalidArgumentException($"pod CIDR {options.PodCidr} has host bits set; the network is {subnet}");
        if (subnet.PrefixLength > 30)
            throw new InvalidArgumentException($"pod CIDR {options.PodCidr} is too small for a gateway and pods");
        if (options.BridgeName.Length is 0 or > 15)
            throw new InvalidArgumentException($"bridge name '{options.BridgeName}' must be 1 to 15 characters (a Linux interface name)");

        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = subnet.ToString() })),
            ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
        };
        if (options.IpamDataDirectory is { } dataDirectory)
            ipam["dataDir"] = dataDirectory;

        return new JsonObject
        {
            ["cniVersion"] = CniVersion,
            ["name"] = options.NetworkName,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = options.BridgeName,
                    ["isGateway"] = true,
                    ["ipMasq"] = true,
                    ["hairpinMode"] = true,
                    ["ipam"] = ipam,
                },
                new JsonObject
                {
                    ["type"] = "portmap",
                    ["capabilities"] = new JsonObject { ["portMappings"] = true },
                }),
        };
    }
}
