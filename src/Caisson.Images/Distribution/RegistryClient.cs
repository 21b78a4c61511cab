using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// Talks the OCI distribution protocol to registries and their mirrors: resolves references, fetches manifests and
/// configs (verified, size-limited), streams layers (resuming after failures), and pushes blobs and manifests.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly RegistryOptions options;
    private readonly ILogger logger;
    private readonly RegistryEndpoints endpoints;
    private readonly RegistryTransport transport;

    public RegistryClient(RegistryOptions options, ILogger<RegistryClient> logger, Func<Uri, HttpMessageHandler>? handlerFactory = null)
        : this(options, logger, handlerFactory, TimeProvider.System)
    {
    }

    internal RegistryClient(RegistryOptions options, ILogger logger, Func<Uri, HttpMessageHandler>? handlerFactory, TimeProvider time)
    {
        if (options.MaxRetries < 0)
            throw new InvalidArgumentException($"registry MaxRetries must not be negative, got {options.MaxRetries}");
        this.options = options;
        this.logger = logger;
        endpoints = new RegistryEndpoints(options);
        transport = new RegistryTransport(options, logger, handlerFactory, time);
    }

    /// <summary>Chooses the manifest for <paramref name="platform"/> from an index (see <see cref="PlatformSelector"/>).</summary>
    public static Descriptor SelectPlatform(ImageIndex index, Platform platform) => PlatformSelector.Select(index, platform);

    public void Dispose() => transport.Dispose();

    /// <summary>
    /// Runs <paramref name="attempt"/> against each pull endpoint in turn until one succeeds. A failure that another
    /// endpoint may not share (not found, unavailable, rate limited) moves on; the registry itself, tried last, is
    /// retried with backoff on transient failures. Other failures end the operation at once.
    /// </summary>
    private async Task<T> OnEachEndpointAsync<T>(
        string registry, string what, Func<RegistryEndpoint, CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var candidates = endpoints.ForPull(registry);
        var earlier = new List<string>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var endpoint = candidates[i];
            var isLast = i == candidates.Count - 1;
            for (var retry = 0; ; retry++)
            {
                try
                {
                    return await attempt(endpoint, ct);
                }
                catch (CaissonException e) when (!ct.IsCancellationRequested)
                {
                    if (isLast && RegistryErrors.IsTransient(e) && retry < options.MaxRetries)
                    {
                        await DelayBeforeRetryAsync(what, e, retry + 1, ct);
                        continue;
                    }

                    if (!isLast && RegistryErrors.TryNextEndpoint(e))
                    {
                        DistributionLog.EndpointFailed(logger, RegistryErrors.InContext(what, e).Message);
                        earlier.Add($"{endpoint}: {e.Message}");
                        break;
                    }

                    var failure = RegistryErrors.InContext(what, e);
                    throw earlier.Count == 0
                        ? failure
                        : RegistryErrors.WithContext(e, $"{failure.Message} (after {string.Join("; ", earlier)})");
                }
            }
        }

        throw new InvalidOperationException("unreachable: the registry itself is always the last endpoint");
    }

    private async Task DelayBeforeRetryAsync(string what, CaissonException e, int retry, CancellationToken ct)
    {
        var delay = Backoff.Delay(options.RetryBaseDelay, retry);
        DistributionLog.Retrying(logger, RegistryErrors.InContext(what, e).Message, retry, options.MaxRetries, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, ct);
    }

    /// <summary>Throws the registry's error unless the response succeeded.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, RegistryEndpoint endpoint, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.FromResponseAsync(response, what, endpoint.ToString(), ct);
    }

    private static Digest DigestOf(Descriptor descriptor)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest, out var why))
            throw new InvalidArgumentException($"descriptor has an invalid digest \"{descriptor.Digest}\": {why}");
        if (descriptor.Size < 0)
            throw new InvalidArgumentException($"descriptor {descriptor.Digest} has a negative size {descriptor.Size}");
        return digest;
    }
}
