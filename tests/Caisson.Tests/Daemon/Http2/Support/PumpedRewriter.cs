using System.IO.Pipelines;
using Caisson.Daemon.Http2;
using Microsoft.Extensions.Logging;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>An <see cref="Http2AuthorityRewriter"/> running between a client pipe (a test writes what the client
/// sends) and a server pipe (a test reads what the server would get).</summary>
internal sealed class PumpedRewriter : IDisposable
{
    private readonly Http2AuthorityRewriter _rewriter;

    public PumpedRewriter(Http2RewriterLimits? limits = null, ILogger? logger = null, PipeOptions? serverOptions = null)
    {
        Server = new Pipe(serverOptions ?? PipeOptions.Default);
        _rewriter = RewriterHarness.NewRewriter(limits, logger);
        Run = _rewriter.RunAsync(Client.Reader, Server.Writer);
    }

    public Pipe Client { get; } = new();

    public Pipe Server { get; }

    public Task Run { get; }

    public Task WaitForEndAsync() => Run.WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose() => _rewriter.Dispose();
}
