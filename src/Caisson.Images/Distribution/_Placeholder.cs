using Caisson.Core.Oci;
using Caisson.Core.References;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

// Placeholder until the distribution branch lands; the real definitions replace this file.
public sealed class RegistryOptions
{
    public Dictionary<string, List<string>> Mirrors { get; } = [];
    public Dictionary<string, RegistryHostOptions> Hosts { get; } = [];
    public string? DockerConfigPath { get; set; }
    public int MaxConcurrentDownloads { get; set; } = 3;
    public int MaxRetries { get; set; } = 5;
}

public sealed class RegistryHostOptions
{
    public bool PlainHttp { get; set; }
    public bool SkipVerify { get; set; }
    public string? CaFile { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? IdentityToken { get; set; }
}

public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken, string? RegistryToken);

public sealed record ResolvedManifest(ImageReference Reference, Descriptor Descriptor, byte[] Content, string Endpoint);

public sealed class RegistryClient(RegistryOptions options, ILogger<RegistryClient> logger) : IDisposable
{
    public RegistryOptions Options { get; } = options;
    public ILogger Logger { get; } = logger;
    public Task<ResolvedManifest> ResolveAsync(ImageReference reference, RegistryCredentials? credentials, CancellationToken ct) => throw new NotSupportedException();
    public Task<byte[]> FetchManifestAsync(ImageReference reference, Descriptor descriptor, RegistryCredentials? credentials, CancellationToken ct) => throw new NotSupportedException();
    public Task<byte[]> FetchSmallBlobAsync(ImageReference reference, Descriptor descriptor, RegistryCredentials? credentials, CancellationToken ct) => throw new NotSupportedException();
    public Task<Stream> OpenBlobAsync(ImageReference reference, Descriptor descriptor, long offset, RegistryCredentials? credentials, CancellationToken ct) => throw new NotSupportedException();
    public static Descriptor SelectPlatform(ImageIndex index, Platform platform) => throw new NotSupportedException();
    public void Dispose() { }
}
