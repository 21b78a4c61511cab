using System.Text.Json;
using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>
/// The <c>auths</c> of a docker <c>config.json</c>, keyed by registry name. Keys may be URLs
/// (<c>https://index.docker.io/v1/</c> is Docker Hub) or <c>host[:port]</c>.
/// </summary>
internal static class DockerConfigFile
{
    private static readonly string[] DockerHubKeys = ["index.docker.io", "registry-1.docker.io", "docker.io"];

    public static IReadOnlyDictionary<string, RegistryCredentials> Parse(ReadOnlySpan<byte> json)
    {
        var result = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return result;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                    continue;
                var credentials = RegistryCredentials.FromAuthConfig(
                    Text(entry.Value, "username"),
                    Text(entry.Value, "password"),
                    Text(entry.Value, "auth"),
                    Text(entry.Value, "identitytoken"),
                    Text(entry.Value, "registrytoken"));
                var key = NormalizeKey(entry.Name);
                if (credentials is not null && key.Length > 0)
                    result.TryAdd(key, credentials);
            }
        }

        return result;
    }

    /// <summary><c>https://index.docker.io/v1/</c> becomes <c>docker.io</c>; <c>https://host:5000/x</c> becomes <c>host:5000</c>.</summary>
    public static string NormalizeKey(string key)
    {
        var host = key.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            host = host[(scheme + 3)..];
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
            host = host[..slash];
        host = host.ToLowerInvariant();
        return DockerHubKeys.Contains(host) ? Core.References.ImageReference.DefaultRegistry : host;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
