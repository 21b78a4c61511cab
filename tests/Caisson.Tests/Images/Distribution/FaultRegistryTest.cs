using Caisson.Testing.FaultRegistry;

namespace Caisson.Tests.Images.Distribution;

/// <summary>A test class with a fresh fault-injecting registry on 127.0.0.1 for each test.</summary>
public abstract class FaultRegistryTest : IAsyncLifetime
{
    protected FaultInjectingRegistry Registry { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Registry = await FaultInjectingRegistry.StartAsync();

    public virtual async Task DisposeAsync() => await Registry.DisposeAsync();
}
