using System.Globalization;
using System.Text;

namespace Caisson.Testing.Registry;

/// <summary>
/// The docker-registry (distribution 2.8) config a fixture runs with: filesystem storage, loopback only, nothing
/// else. Leaving out http.debug, notifications and health keeps the debug server, webhooks and storage health
/// checks off; upload purging is off so it never touches a test's half-done uploads.
/// </summary>
internal static class RegistryConfigFile
{
    public static void Write(string path, string storageDirectory, int port, string? htpasswdPath, (string Certificate, string Key)? tls)
    {
        var yaml = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: info")
            .AppendLine("  formatter: text")
            .AppendLine("  accesslog:")
            .AppendLine("    disabled: true")
            .AppendLine("storage:")
            .AppendLine("  filesystem:")
            .AppendLine(CultureInfo.InvariantCulture, $"    rootdirectory: {Quote(storageDirectory)}")
            .AppendLine("  delete:")
            .AppendLine("    enabled: true")
            .AppendLine("  maintenance:")
            .AppendLine("    uploadpurging:")
            .AppendLine("      enabled: false")
            .AppendLine("http:")
            .AppendLine(CultureInfo.InvariantCulture, $"  addr: 127.0.0.1:{port}");
        if (tls is var (certificate, key))
        {
            yaml.AppendLine("  tls:")
                .AppendLine(CultureInfo.InvariantCulture, $"    certificate: {Quote(certificate)}")
                .AppendLine(CultureInfo.InvariantCulture, $"    key: {Quote(key)}");
        }

        if (htpasswdPath is not null)
        {
            yaml.AppendLine("auth:")
                .AppendLine("  htpasswd:")
                .AppendLine("    realm: caisson-test")
                .AppendLine(CultureInfo.InvariantCulture, $"    path: {Quote(htpasswdPath)}");
        }

        File.WriteAllText(path, yaml.ToString());
    }

    /// <summary>A YAML single-quoted scalar: only the quote itself needs escaping (by doubling).</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
