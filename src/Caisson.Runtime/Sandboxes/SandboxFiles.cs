using System.Text;
using Caisson.Api.Cri;
using Caisson.Images.Content;

namespace Caisson.Runtime.Sandboxes;

/// <summary>The files a pod's containers share: hostname, /etc/hosts and /etc/resolv.conf, in the sandbox directory.</summary>
internal static class SandboxFiles
{
    public static string HostnamePath(string directory) => Path.Combine(directory, "hostname");

    public static string HostsPath(string directory) => Path.Combine(directory, "hosts");

    public static string ResolvConfPath(string directory) => Path.Combine(directory, "resolv.conf");

    /// <summary>The kernel's limit on a hostname (HOST_NAME_MAX); sethostname refuses longer ones.</summary>
    public const int MaxHostnameLength = 64;

    /// <summary>
    /// The pod's hostname: the one the kubelet gave, else the node's, as containerd does (a pod name can be longer
    /// than any hostname may be).
    /// </summary>
    public static string HostnameOf(PodSandboxConfig config) =>
        string.IsNullOrEmpty(config.Hostname) ? Environment.MachineName : config.Hostname;

    public static void Write(string directory, PodSandboxConfig config)
    {
        Directory.CreateDirectory(directory);
        Durability.WriteAtomic(HostnamePath(directory), HostnameOf(config) + "\n");
        Durability.WriteAtomic(HostsPath(directory),
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        Durability.WriteAtomic(ResolvConfPath(directory), ResolvConf(config.DnsConfig));
    }

    /// <summary>The pod's DNS config, or the host's resolv.conf when the pod gives none.</summary>
    private static string ResolvConf(DNSConfig? dns)
    {
        if (dns is null || (dns.Servers.Count == 0 && dns.Searches.Count == 0 && dns.Options.Count == 0))
            return File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        var text = new StringBuilder();
        foreach (var server in dns.Servers)
            text.Append("nameserver ").Append(server).Append('\n');
        if (dns.Searches.Count > 0)
            text.Append("search ").AppendJoin(' ', dns.Searches).Append('\n');
        if (dns.Options.Count > 0)
            text.Append("options ").AppendJoin(' ', dns.Options).Append('\n');
        return text.ToString();
    }
}
