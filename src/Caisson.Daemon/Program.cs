using Caisson.Core.Errors;
using Caisson.Daemon.Configuration;
using Caisson.Daemon.Hosting;
using Caisson.Daemon.Http2;
using Caisson.Images.Store;
using Microsoft.AspNetCore.Server.Kestrel.Core;

DaemonArguments arguments;
try
{
    arguments = DaemonArguments.Parse(args);
}
catch (CaissonException e)
{
    Console.Error.WriteLine($"caissond: {e.Message}");
    Console.Error.WriteLine("Run 'caissond --help' for usage.");
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(DaemonArguments.Usage);
    return 0;
}

if (arguments.Version)
{
    Console.WriteLine($"caissond {Caisson.Cri.Runtime.CriRuntimeService.RuntimeVersion} (CRI {Caisson.Cri.Runtime.CriRuntimeService.RuntimeApiVersion})");
    return 0;
}

try
{
    var config = ConfigLoader.Load(arguments.ConfigPath, arguments.ConfigExplicit);
    config.Root = arguments.Root ?? config.Root;
    config.State = arguments.State ?? config.State;
    config.Grpc.Address = arguments.Address ?? config.Grpc.Address;
    config.Log.Level = arguments.LogLevel ?? config.Log.Level;

    Directory.CreateDirectory(config.Root);
    Directory.CreateDirectory(config.State);
    File.SetUnixFileMode(config.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    File.SetUnixFileMode(config.State, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    using var instanceLock = SingleInstanceLock.Acquire(config.Root);
    var socket = config.SocketPath;
    UnixSocket.PrepareToListen(socket);

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddDaemonConsole(config.Log);
    builder.Services.AddSingleton(config);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddImageStore(config);
    builder.Services.AddNode(config);
    builder.Services.AddCaissonGrpc();
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.AddServerHeader = false;
        kestrel.ListenUnixSocket(socket, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;

            // grpc-go clients (crictl, kubelet) may send the socket path as :authority; Kestrel would reset them.
            listen.UseHttp2AuthorityNormalization();
        });
    });

    var app = builder.Build();
    app.MapCaissonGrpc();

    // Open the store before accepting requests, so recovery runs (and fails) at start-up.
    app.Services.GetRequiredService<ImageService>();
    // Auto-removal watches before recovery, so it sees the exits recovery records, then sweeps for older ones.
    var autoRemoval = app.Services.GetRequiredService<Caisson.Cri.Runtime.PodAutoRemoval>();
    autoRemoval.Start();
    await app.Services.GetRequiredService<Caisson.Runtime.Containers.ContainerManager>().RecoverAsync().ConfigureAwait(false);
    await app.Services.GetRequiredService<Caisson.Runtime.Sandboxes.SandboxManager>().RecoverAsync().ConfigureAwait(false);
    await autoRemoval.SweepAsync().ConfigureAwait(false);

    // Event streams never end by themselves; end them so Kestrel's graceful stop does not wait out its timeout.
    app.Lifetime.ApplicationStopping.Register(app.Services.GetRequiredService<Caisson.Runtime.Events.ContainerEventHub>().Close);
    await app.StartAsync().ConfigureAwait(false);
    UnixSocket.SetPermissions(socket, config.Grpc.Gid);
    app.Logger.LogInformation("caissond serving CRI on unix://{Socket} (root {Root}, state {State})", socket, config.Root, config.State);
    await app.WaitForShutdownAsync().ConfigureAwait(false);
    return 0;
}
catch (CaissonException e)
{
    Console.Error.WriteLine($"caissond: {e.Message}");
    return 1;
}
