using Microsoft.Extensions.Logging;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Routes every category to one <see cref="ListLogger"/>.</summary>
internal sealed class ListLoggerProvider(ListLogger logger) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
