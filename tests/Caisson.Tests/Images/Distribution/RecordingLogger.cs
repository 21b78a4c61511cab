using System.Collections.Concurrent;
using Caisson.Images.Distribution;
using Microsoft.Extensions.Logging;

namespace Caisson.Tests.Images.Distribution;

/// <summary>Keeps every formatted log line, so tests can check what the client says (and that it leaks no secrets).</summary>
internal sealed class RecordingLogger : ILogger<RegistryClient>
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
