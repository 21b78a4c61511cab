using System.Text.Json.Nodes;
using Caisson.Runtime.Driver;
using Caisson.Runtime.Shim;
using Caisson.Tests.Shim;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Tests.Runtime.Driver;

/// <summary>
/// A busybox container created by the real caisson-shim and runc, with an <see cref="OciRuntimeDriver"/> on the
/// same runc root; disposing deletes it, stops the shim and removes its files.
/// </summary>
internal sealed class DriverContainer : IAsyncDisposable
{
    private readonly ShimContainer container;

    private DriverContainer(ShimContainer container, ShimClient client)
    {
        this.container = container;
        Client = client;
        Driver = new OciRuntimeDriver(new RuntimeHandler("runc", ShimContainer.Runc, container.Options.RuntimeRoot), NullLogger.Instance);
    }

    public OciRuntimeDriver Driver { get; }

    public ShimClient Client { get; }

    public string Id => container.Id;

    public string Bundle => container.Options.Bundle;

    /// <summary>Creates (not starts) a container running <paramref name="args"/>; <paramref name="editProcess"/> may change config.json's process first.</summary>
    public static async Task<DriverContainer> CreateAsync(IReadOnlyList<string> args, Action<JsonObject>? editProcess = null)
    {
        var container = await ShimContainer.PrepareAsync(args);
        try
        {
            if (editProcess is not null)
            {
                var configPath = Path.Combine(container.Options.Bundle, "config.json");
                var config = JsonNode.Parse(File.ReadAllText(configPath))!;
                editProcess((JsonObject)config["process"]!);
                File.WriteAllText(configPath, config.ToJsonString());
            }

            var client = await ShimLauncher.LaunchAsync(container.Options, TimeSpan.FromSeconds(30));
            return new DriverContainer(container, client);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>A running `sleep 1000` container.</summary>
    public static async Task<DriverContainer> StartSleeperAsync(Action<JsonObject>? editProcess = null)
    {
        var container = await CreateAsync(["/bin/sleep", "1000"], editProcess);
        try
        {
            await container.Client.StartAsync();
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => container.DisposeAsync();
}
