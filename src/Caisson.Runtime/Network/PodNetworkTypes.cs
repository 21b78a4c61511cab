using System.Net;

namespace Caisson.Runtime.Network;

/// <summary>Where the pod network finds its configuration and plugins and keeps its per-sandbox records.</summary>
internal sealed record PodNetworkOptions
{
    public string ConfDirectory { get; init; } = "/etc/cni/net.d";

    /// <summary>Searched in order for each plugin; Debian installs into /usr/lib/cni, upstream into /opt/cni/bin.</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = ["/usr/lib/cni", "/opt/cni/bin"];

    /// <summary>Persistent: host-local allocations survive a reboot, so the records that free them must too.</summary>
    public string StateDirectory { get; init; } = "/var/lib/caisson/network";

    public TimeSpan PluginTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>The pod whose network is set up: its sandbox id and CRI metadata, its pinned netns, its host ports.</summary>
internal sealed record PodNetworkRequest(
    string SandboxId,
    string PodName,
    string PodNamespace,
    string NetworkNamespacePath,
    IReadOnlyList<PortMapping> PortMappings);

/// <summary>The pod's addresses as CNI assigned them (IPv4 first, as the CRI status wants the primary IP first).</summary>
internal sealed record PodNetworkStatus(IReadOnlyList<IPAddress> Addresses, CniResult Result)
{
    public static PodNetworkStatus From(CniResult result) => new(
        result.Ips.Select(ip => ip.Address)
            .OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1)
            .ToList(),
        result);
}
