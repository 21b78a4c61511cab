using Caisson.Daemon.Http2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>A real Kestrel serving <see cref="TestRuntimeService"/> over HTTP/2 on a unix socket in a fresh temporary
/// directory, with or without the authority normalization.</summary>
internal sealed class GrpcUnixSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private GrpcUnixSocketServer(WebApplication app, string directory, string socketPath, ListLogger log)
    {
        _app = app;
        _directory = directory;
        SocketPath = socketPath;
        Log = log;
    }

    public string SocketPath { get; }

    /// <summary>Debug messages from Caisson's categories, warnings and up from the rest.</summary>
    public ListLogger Log { get; }

    public static async Task<GrpcUnixSocketServer> StartAsync(bool normalizeAuthority)
    {
        string directory = Directory.CreateTempSubdirectory("caisson-h2-").FullName;
        string socketPath = Path.Combine(directory, "caisson.sock");
        var log = new ListLogger();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders()
            .AddProvider(new ListLoggerProvider(log))
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Caisson", LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (normalizeAuthority)
                listen.UseHttp2AuthorityNormalization();
        }));
        builder.Services.AddGrpc();

        WebApplication app = builder.Build();
        app.MapGrpcService<TestRuntimeService>();
        await app.StartAsync();
        return new GrpcUnixSocketServer(app, directory, socketPath, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
