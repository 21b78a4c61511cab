using System.Text;
using Caisson.Testing.Registry;

namespace Caisson.Testing.Daemon;

/// <summary>config.toml snippets for test daemons.</summary>
public static class DaemonConfig
{
    /// <summary>Plain HTTP (or the fixture's CA for TLS) and the fixture's credentials for each registry.</summary>
    public static string For(params RegistryFixture[] registries)
    {
        var toml = new StringBuilder();
        foreach (var registry in registries)
            toml.Append(HostSection(registry));
        return toml.ToString();
    }

    public static string HostSection(RegistryFixture registry, bool withCredentials = true)
    {
        var toml = new StringBuilder();
        toml.AppendLine($"[registry.hosts.\"{registry.Host}\"]");
        if (registry.CaCertificatePath is { } ca)
            toml.AppendLine($"ca_file = \"{ca}\"");
        else
            toml.AppendLine("plain_http = true");
        if (withCredentials && registry.Credentials is { } credentials)
        {
            toml.AppendLine($"username = \"{credentials.Username}\"");
            toml.AppendLine($"password = \"{credentials.Password}\"");
        }

        return toml.ToString();
    }

    /// <summary>Serves <paramref name="registryName"/> (e.g. registry.k8s.io) from the fixture, as offline clusters do.</summary>
    public static string Mirror(string registryName, RegistryFixture registry) =>
        $"[registry.mirrors.\"{registryName}\"]\nendpoints = [\"{registry.BaseUri.ToString().TrimEnd('/')}\"]\n";
}
