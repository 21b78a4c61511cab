using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Caisson.Daemon.Http2;

/// <summary>Adds <see cref="AuthorityNormalizingConnectionMiddleware"/> to a Kestrel endpoint.</summary>
internal static class Http2ListenOptionsExtensions
{
    /// <summary>Rewrites, on this endpoint's cleartext HTTP/2 (prior knowledge) connections, an <c>:authority</c> or
    /// <c>host</c> that is not a plain <c>host[:port]</c>, such as the socket path grpc-go sends on a unix socket,
    /// to <c>localhost</c> before Kestrel validates it (dotnet/aspnetcore#47043). Add it before anything that
    /// reads the connection (and never in front of TLS: it would see only ciphertext and pass it through).</summary>
    /// <param name="loggerFactory">Defaults to the application's, else none.</param>
    public static ListenOptions UseHttp2AuthorityNormalization(
        this ListenOptions listenOptions, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next =>
            new AuthorityNormalizingConnectionMiddleware(next, listenOptions, loggerFactory).OnConnectionAsync);
        return listenOptions;
    }
}
