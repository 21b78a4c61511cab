using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Caisson.Core.Oci;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caisson.Testing.FaultRegistry;

/// <summary>
/// An in-process OCI registry on a loopback address and a random port, serving manifests and blobs from memory, that
/// injects the faults its <see cref="Faults"/> plan names and records every request it gets.
/// </summary>
public sealed partial class FaultInjectingRegistry : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RegistryContent content = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly string pathPrefix;

    private FaultInjectingRegistry(WebApplication app, string pathPrefix)
    {
        this.app = app;
        this.pathPrefix = pathPrefix;
    }

    /// <summary>
    /// Starts a registry on <paramref name="host"/> (<c>127.0.0.1</c>, <c>127.0.0.2</c>, or <c>localhost</c>, which
    /// listens on 127.0.0.1 but is another host name to a client). With <paramref name="certificate"/> it speaks HTTPS.
    /// With <paramref name="pathPrefix"/> (<c>/mirror</c>) it serves <c>/mirror/v2/</c>, as some mirrors do.
    /// </summary>
    public static async Task<FaultInjectingRegistry> StartAsync(
        string host = "127.0.0.1", X509Certificate2? certificate = null, string pathPrefix = "")
    {
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(address, 0, listen =>
            {
                if (certificate is not null)
                    listen.UseHttps(certificate);
            });
        });

        var app = builder.Build();
        var registry = new FaultInjectingRegistry(app, pathPrefix.TrimEnd('/'));
        app.Run(registry.HandleAsync);
        await app.StartAsync();

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var scheme = certificate is null ? "http" : "https";
        registry.Authority = $"{host}:{bound.Port}";
        registry.BaseUri = new Uri($"{scheme}://{registry.Authority}{registry.pathPrefix}/");
        return registry;
    }

    /// <summary>The registry's base URL, ending in '/', under which <c>v2/</c> and <c>token</c> are served.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>host:port</c>, the registry name to use in image references.</summary>
    public string Authority { get; private set; } = "";

    public FaultPlan Faults { get; } = new();

    public RegistryAuth Auth { get; } = new();

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public void ClearRequests() => requests.Clear();

    public Descriptor AddBlob(string repository, byte[] bytes, string mediaType = "application/octet-stream") =>
        new() { MediaType = mediaType, Digest = content.PutBlob(repository, bytes), Size = bytes.Length };

    /// <summary>Stores a manifest under its digest, and under <paramref name="tag"/> when given.</summary>
    public Descriptor AddManifest(string repository, string? tag, byte[] bytes, string mediaType) =>
        new() { MediaType = mediaType, Digest = content.PutManifest(repository, tag, bytes, mediaType), Size = bytes.Length };

    public byte[]? GetBlob(string repository, string digest) => content.GetBlob(repository, digest);

    /// <summary>A stored manifest by tag or digest: its bytes and the media type it was pushed with.</summary>
    public (byte[] Content, string MediaType)? GetManifest(string repository, string reference) =>
        content.GetManifest(repository, reference) is { } m ? (m.Content, m.MediaType) : null;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        requests.Enqueue(new RecordedRequest(
            request.Method, path, request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

        if (!path.StartsWith(pathPrefix + "/", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", "outside the registry's prefix");
            return;
        }

        path = path[pathPrefix.Length..];
        if (Faults.TakeFailure(path) is { } status)
        {
            await WriteErrorAsync(context, status, "INJECTED", "injected failure");
            return;
        }

        if (path == "/token")
        {
            await Auth.HandleTokenAsync(context);
            return;
        }

        var route = RegistryRoute.Parse(path);
        if (route is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", $"no such endpoint {path}");
            return;
        }

        var push = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (!Auth.IsAuthorized(request))
        {
            Auth.Challenge(context.Response, BaseUri, route.Repository, push);
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "authentication required");
            return;
        }

        await DispatchAsync(context, route);
    }

    private Task DispatchAsync(HttpContext context, RegistryRoute route)
    {
        var method = context.Request.Method;
        return route.Kind switch
        {
            RouteKind.Root => context.Response.WriteAsync("{}"),
            RouteKind.Manifest when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => ServeManifestAsync(context, route.Repository!, route.Reference!),
            RouteKind.Manifest when HttpMethods.IsPut(method) => ReceiveManifestAsync(context, route.Repository!, route.Reference!),
            RouteKind.Blob when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => ServeBlobAsync(context, route.Repository!, route.Reference!),
            RouteKind.Upload => HandleUploadAsync(context, route.Repository!, route.Reference),
            _ => WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", $"{method} is not supported here"),
        };
    }

    internal static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}""");
    }
}
