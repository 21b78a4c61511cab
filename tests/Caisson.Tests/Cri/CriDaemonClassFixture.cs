using Caisson.Api.Cri;
using Caisson.Testing.Daemon;

namespace Caisson.Tests.Cri;

/// <summary>A <see cref="CriTestDaemon"/> as an xunit class fixture: started before a test class, torn down after it.</summary>
public abstract class CriDaemonClassFixture(string repository, string runtimeToml = "") : IAsyncLifetime
{
    private CriTestDaemon? _stack;

    public DaemonFixture Daemon => (_stack ?? throw new InvalidOperationException($"{GetType().Name} is not started")).Daemon;

    /// <summary>The busybox image as pulled (a tag in the test registry).</summary>
    public string Image => _stack?.Image ?? "";

    public RuntimeService.RuntimeServiceClient Runtime => Daemon.Runtime;

    public async Task InitializeAsync() => _stack = await CriTestDaemon.StartAsync(repository, runtimeToml);

    public async Task DisposeAsync()
    {
        if (_stack is not null)
            await _stack.DisposeAsync();
    }
}
