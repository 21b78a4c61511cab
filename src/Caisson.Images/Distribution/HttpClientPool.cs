using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>
/// One HTTP client per TLS configuration (per origin when a handler factory is given), created on first use and reused,
/// so connections are pooled across pulls. Redirects are never followed here: the sender does it by hand.
/// </summary>
internal sealed class HttpClientPool(RegistryOptions options, Func<Uri, HttpMessageHandler>? handlerFactory) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> clients = new(StringComparer.Ordinal);

    /// <summary>The client for <paramref name="uri"/>, with the TLS settings of <paramref name="hostOptions"/>.</summary>
    public HttpClient For(Uri uri, RegistryHostOptions? hostOptions)
    {
        var origin = uri.GetLeftPart(UriPartial.Authority);
        string key;
        if (handlerFactory is not null)
            key = origin;
        else if (hostOptions is { HasTlsSettings: true } && uri.Scheme == "https")
            key = $"{origin}|{hostOptions.SkipVerify}|{hostOptions.CaFile}";
        else
            key = "";

        return clients.GetOrAdd(key, _ => new Lazy<HttpClient>(() => Create(new Uri(origin), hostOptions))).Value;
    }

    private HttpClient Create(Uri origin, RegistryHostOptions? hostOptions)
    {
        var handler = handlerFactory?.Invoke(origin) ?? CreateHandler(origin, hostOptions);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private SocketsHttpHandler CreateHandler(Uri origin, RegistryHostOptions? hostOptions)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        };
        if (origin.Scheme == "https" && hostOptions is not null)
        {
            if (hostOptions.SkipVerify)
            {
#pragma warning disable CA5359 // The operator asked for it per host (skip_verify), as containerd allows.
                handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            else if (!string.IsNullOrEmpty(hostOptions.CaFile))
            {
                handler.SslOptions.CertificateChainPolicy = CustomRootPolicy(origin, hostOptions.CaFile);
            }
        }

        return handler;
    }

    private static X509ChainPolicy CustomRootPolicy(Uri origin, string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            var text = File.ReadAllText(caFile);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                roots.ImportFromPem(text);
            else
                roots.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidArgumentException($"CA file {caFile} for {origin.Authority} cannot be read: {e.Message}", e);
        }

        if (roots.Count == 0)
            throw new InvalidArgumentException($"CA file {caFile} for {origin.Authority} holds no certificate");

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    public void Dispose()
    {
        foreach (var client in clients.Values.Where(c => c.IsValueCreated))
            client.Value.Dispose();
        clients.Clear();
    }
}
