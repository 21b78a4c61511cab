using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Daemon.Http2;

/// <summary>Kestrel connection middleware that puts an <see cref="Http2AuthorityRewriter"/> between the transport
/// and the HTTP/2 server on the client-to-server side; the server-to-client side is the transport's own.</summary>
internal sealed class AuthorityNormalizingConnectionMiddleware
{
    private readonly ConnectionDelegate _next;
    private readonly ListenOptions _listenOptions;
    private readonly ILoggerFactory? _loggerFactory;
    private ILogger? _logger;

    public AuthorityNormalizingConnectionMiddleware(
        ConnectionDelegate next, ListenOptions listenOptions, ILoggerFactory? loggerFactory)
    {
        _next = next;
        _listenOptions = listenOptions;
        _loggerFactory = loggerFactory;
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        // Limits and services are read per connection: they may be configured after this middleware is added.
        Http2RewriterLimits limits = Http2RewriterLimits.From(_listenOptions.KestrelServerOptions.Limits);
        ILogger logger = _logger ??= CreateLogger();

        IDuplexPipe transport = connection.Transport;
        var rewritten = new Pipe(new PipeOptions(
            pool: connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool,
            useSynchronizationContext: false));
        using var rewriter = new Http2AuthorityRewriter(limits, logger, connection.ConnectionId);
        Task pump = rewriter.RunAsync(transport.Input, rewritten.Writer);
        connection.Transport = new DuplexPipe(rewritten.Reader, transport.Output);
        try
        {
            await _next(connection);
        }
        finally
        {
            connection.Transport = transport;
            // Stop the pump wherever it waits: on back-pressure (the reader is gone) or on the client.
            await rewritten.Reader.CompleteAsync();
            if (!pump.IsCompleted)
                transport.Input.CancelPendingRead();
            await pump;
        }
    }

    private ILogger CreateLogger()
    {
        ILoggerFactory factory = _loggerFactory
            ?? _listenOptions.ApplicationServices?.GetService(typeof(ILoggerFactory)) as ILoggerFactory
            ?? NullLoggerFactory.Instance;
        return factory.CreateLogger<Http2AuthorityRewriter>();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
