namespace Caisson.Images.Distribution;

/// <summary>How the registry client reaches registries: mirrors, per-host TLS and credentials, retry limits.</summary>
public sealed class RegistryOptions
{
    /// <summary>The key that applies a mirror list to every registry, after that registry's own mirrors.</summary>
    public const string AnyRegistry = "*";

    /// <summary>
    /// Registry name (<c>docker.io</c>, <c>registry.k8s.io</c>, or <see cref="AnyRegistry"/>) to endpoint URLs tried in
    /// order before the registry itself, such as <c>http://127.0.0.1:5000</c> or <c>https://mirror.example/prefix</c>.
    /// </summary>
    public Dictionary<string, List<string>> Mirrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per <c>host[:port]</c> settings; for a registry its name, for a mirror the authority of its URL.</summary>
    public Dictionary<string, RegistryHostOptions> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A docker-style <c>config.json</c> whose <c>auths</c> supply credentials; null for none.</summary>
    public string? DockerConfigPath { get; set; }

    /// <summary>How many layers one pull downloads at once (used by the puller, not by the client itself).</summary>
    public int MaxConcurrentDownloads { get; set; } = 3;

    /// <summary>Retries after a transient failure (network error, 5xx, stalled or cut body) before giving up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>How long to wait for a TCP (and TLS) connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long response headers, or the next chunk of a body, may take before the attempt counts as failed.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay; each further retry doubles it (capped at ten seconds).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The settings for <paramref name="authority"/> (<c>host[:port]</c>), or null when none are configured.</summary>
    public RegistryHostOptions? HostOptionsFor(string authority) =>
        Hosts.TryGetValue(authority, out var options) ? options : null;
}
