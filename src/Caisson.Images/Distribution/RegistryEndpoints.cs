using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>Turns the configuration into the ordered endpoints to try for a registry.</summary>
internal sealed class RegistryEndpoints
{
    /// <summary>Docker Hub's name in references differs from the host that serves its API.</summary>
    private const string DockerHubApiHost = "registry-1.docker.io";

    private readonly RegistryOptions options;
    private readonly Dictionary<string, RegistryEndpoint[]> mirrors = new(StringComparer.OrdinalIgnoreCase);

    public RegistryEndpoints(RegistryOptions options)
    {
        this.options = options;
        foreach (var (registry, urls) in options.Mirrors)
            mirrors[registry] = urls.Select(url => ParseMirror(registry, url)).ToArray();
    }

    /// <summary>The endpoints a pull tries, in order: the registry's mirrors, the catch-all mirrors, the registry.</summary>
    public IReadOnlyList<RegistryEndpoint> ForPull(string registry)
    {
        var result = new List<RegistryEndpoint>();
        if (mirrors.TryGetValue(registry, out var own))
            result.AddRange(own);
        if (mirrors.TryGetValue(RegistryOptions.AnyRegistry, out var any))
            result.AddRange(any.Select(m => m with { Registry = registry }));
        var primary = Primary(registry);
        result.RemoveAll(m => m.Root == primary.Root);
        result.Add(primary);
        return result;
    }

    /// <summary>The registry's own endpoint: pushes go only there.</summary>
    public RegistryEndpoint Primary(string registry)
    {
        var hostOptions = options.HostOptionsFor(registry);
        var host = string.Equals(registry, Core.References.ImageReference.DefaultRegistry, StringComparison.OrdinalIgnoreCase)
            ? DockerHubApiHost
            : registry;
        var scheme = hostOptions?.PlainHttp == true ? "http" : "https";
        return new RegistryEndpoint(new Uri($"{scheme}://{host}/v2/"), registry, IsMirror: false, hostOptions);
    }

    private RegistryEndpoint ParseMirror(string registry, string url)
    {
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // A bare host[:port] gets the scheme its host settings ask for.
            var authority = text.Split('/', 2)[0];
            text = (options.HostOptionsFor(authority)?.PlainHttp == true ? "http://" : "https://") + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidArgumentException(
                $"mirror \"{url}\" for registry \"{registry}\" is not an http(s) URL without query, fragment or user info");
        }

        var prefix = uri.AbsolutePath.TrimEnd('/');
        var root = new Uri($"{uri.Scheme}://{uri.Authority}{prefix}/v2/");
        return new RegistryEndpoint(root, registry, IsMirror: true, options.HostOptionsFor(uri.Authority));
    }
}
