using Caisson.Cli.Arguments;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>One run of a verb: its parsed arguments, the streams, and the daemon connection, opened on first use.</summary>
internal sealed class CommandInvocation(
    CommandSpec command, ParsedArguments arguments, CliContext context, string socketPath, CancellationToken cancellationToken)
    : IDisposable
{
    private DaemonConnection? _daemon;

    public CommandSpec Command { get; } = command;

    public ParsedArguments Arguments { get; } = arguments;

    public CliContext Context { get; } = context;

    public string SocketPath { get; } = socketPath;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TextWriter Out => Context.Out;

    public DaemonConnection Daemon => _daemon ??= DaemonConnection.Open(SocketPath);

    /// <summary>Prints one failure the way every command does ("caisson: ..."), for verbs that go on after one.</summary>
    public void ReportError(Exception error) => Context.Error.WriteLine($"caisson: {ErrorMessages.Describe(error, SocketPath)}");

    /// <summary>
    /// Runs <paramref name="action"/> for each positional argument; an error from the daemon about one is reported
    /// and the rest still run. Returns the exit code: failure when any failed.
    /// </summary>
    public async Task<int> ForEachArgumentAsync(Func<string, Task> action)
    {
        var exitCode = ExitCodes.Success;
        foreach (var argument in Arguments.Positionals)
        {
            try
            {
                await action(argument);
            }
            catch (Exception e) when (e is RpcException or CaissonException && !CancellationToken.IsCancellationRequested)
            {
                ReportError(e);
                exitCode = ExitCodes.Failure;
            }
        }
        return exitCode;
    }

    /// <summary>A usage error pointing at this verb's help.</summary>
    public UsageException UsageError(string message) => new(message, Command.Name);

    public void Dispose() => _daemon?.Dispose();
}
