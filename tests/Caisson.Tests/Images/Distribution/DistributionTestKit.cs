using Caisson.Core.References;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;

namespace Caisson.Tests.Images.Distribution;

/// <summary>Options and clients for tests: plain HTTP to the given fault registries, fast retries.</summary>
internal static class DistributionTestKit
{
    public static RegistryOptions Options(params FaultInjectingRegistry[] plainHttp)
    {
        var options = new RegistryOptions
        {
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            StallTimeout = TimeSpan.FromSeconds(10),
        };
        foreach (var registry in plainHttp)
            options.Hosts[registry.Authority] = new RegistryHostOptions { PlainHttp = true };
        return options;
    }

    public static RegistryClient Client(RegistryOptions options, RecordingLogger? logger = null) =>
        new(options, logger ?? new RecordingLogger());

    public static ImageReference Reference(FaultInjectingRegistry registry, string repositoryAndTag = "library/test:latest") =>
        ImageReference.Parse($"{registry.Authority}/{repositoryAndTag}");

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>The requests a registry got for blobs (not manifests or tokens).</summary>
    public static List<RecordedRequest> BlobRequests(FaultInjectingRegistry registry) =>
        registry.Requests.Where(r => r.Path.Contains("/blobs/", StringComparison.Ordinal)).ToList();
}
