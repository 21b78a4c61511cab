using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>
/// A real gRPC server (Kestrel, HTTP/2 over a unix socket in a temp directory) serving caisson.v1 and CRI Version
/// with canned data, so the CLI is tested through its real channel and wire format.
/// </summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeDaemon(WebApplication app, string directory, FakeDaemonState state)
    {
        _app = app;
        Directory = directory;
        State = state;
    }

    public string Directory { get; }

    public string SocketPath => Path.Combine(Directory, "caisson.sock");

    public FakeDaemonState State { get; }

    public static async Task<FakeDaemon> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("caisson-cli-").FullName;
        var state = new FakeDaemonState();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ListenUnixSocket(Path.Combine(directory, "caisson.sock"), listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<FakeImagesService>();
        app.MapGrpcService<FakeSystemService>();
        app.MapGrpcService<FakeRuntimeService>();
        await app.StartAsync();
        return new FakeDaemon(app, directory, state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
