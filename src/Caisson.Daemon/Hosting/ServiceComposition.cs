using Caisson.Core.Configuration;
using Caisson.Core.Oci;
using Caisson.Cri.CaissonApi;
using Caisson.Cri.Grpc;
using Caisson.Cri.Images;
using Caisson.Cri.Runtime;
using Caisson.Images.Distribution;
using Caisson.Images.Store;

namespace Caisson.Daemon.Hosting;

/// <summary>Explicit composition: each subsystem's registration, listed in Program.</summary>
internal static class ServiceComposition
{
    public static IServiceCollection AddImageStore(this IServiceCollection services, CaissonConfig config)
    {
        services.AddSingleton(RegistryOptionsFrom(config));
        services.AddSingleton<RegistryClient>();
        services.AddSingleton(provider => new ImageService(
            new ImageStoreOptions
            {
                Root = config.Root,
                Snapshotter = config.Images.Snapshotter,
                MaxConcurrentDownloads = config.Images.MaxConcurrentDownloads,
                Platform = string.IsNullOrEmpty(config.Images.Platform) ? Platform.Current : Platform.Parse(config.Images.Platform),
            },
            provider.GetRequiredService<RegistryClient>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return services;
    }

    public static IServiceCollection AddNode(this IServiceCollection services, CaissonConfig config)
    {
        services.AddSingleton(new Caisson.Runtime.Node.NodeState(config));
        services.AddSingleton(provider => new Caisson.Runtime.Events.ContainerEventHub(
            provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new Caisson.Runtime.Sandboxes.SandboxManager(
            config, provider.GetRequiredService<Caisson.Runtime.Events.ContainerEventHub>(),
            provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new Caisson.Runtime.Containers.ContainerManager(
            config, provider.GetRequiredService<Caisson.Runtime.Sandboxes.SandboxManager>(), provider.GetRequiredService<ImageService>(),
            provider.GetRequiredService<Caisson.Runtime.Events.ContainerEventHub>(),
            provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new Caisson.Cri.Runtime.PodAutoRemoval(
            provider.GetRequiredService<Caisson.Runtime.Sandboxes.SandboxManager>(),
            provider.GetRequiredService<Caisson.Runtime.Containers.ContainerManager>(),
            provider.GetRequiredService<Caisson.Runtime.Events.ContainerEventHub>(),
            provider.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    public static IServiceCollection AddCaissonGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorInterceptor>();
            options.MaxReceiveMessageSize = 16 * 1024 * 1024;
            options.EnableDetailedErrors = false;
        });
        return services;
    }

    public static void MapCaissonGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<CriRuntimeService>();
        endpoints.MapGrpcService<CriImageService>();
        endpoints.MapGrpcService<ImagesApi>();
        endpoints.MapGrpcService<SystemApi>();
    }

    internal static RegistryOptions RegistryOptionsFrom(CaissonConfig config)
    {
        var options = new RegistryOptions
        {
            DockerConfigPath = string.IsNullOrEmpty(config.Registry.ConfigFile) ? null : config.Registry.ConfigFile,
            MaxConcurrentDownloads = config.Images.MaxConcurrentDownloads,
            MaxRetries = config.Images.MaxDownloadRetries,
        };
        foreach (var (host, mirror) in config.Registry.Mirrors)
            options.Mirrors[host] = [.. mirror.Endpoints];
        foreach (var (host, h) in config.Registry.Hosts)
        {
            options.Hosts[host] = new RegistryHostOptions
            {
                PlainHttp = h.PlainHttp,
                SkipVerify = h.SkipVerify,
                CaFile = string.IsNullOrEmpty(h.CaFile) ? null : h.CaFile,
                Username = string.IsNullOrEmpty(h.Username) ? null : h.Username,
                Password = string.IsNullOrEmpty(h.Password) ? null : h.Password,
                IdentityToken = string.IsNullOrEmpty(h.IdentityToken) ? null : h.IdentityToken,
            };
        }

        return options;
    }
}
