using System.Text;
using Caisson.Cli;

namespace Caisson.Tests.Cli;

/// <summary>Runs `caisson` in-process with captured streams, a chosen socket and a chosen clock.</summary>
internal sealed class CliHarness
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Passed as $CAISSON_ADDRESS, the way every end-to-end test finds its fake daemon.</summary>
    public string? SocketPath { get; init; }

    public byte[] Input { get; init; } = [];

    public bool InputIsTerminal { get; init; }

    public bool OutputIsTerminal { get; init; }

    public TimeProvider Time { get; init; } = new ManualTimeProvider(Now);

    public Dictionary<string, string> Environment { get; init; } = [];

    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new MemoryStream();
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var environment = new Dictionary<string, string>(Environment);
        if (SocketPath is not null)
            environment.TryAdd(CliApp.AddressEnvironmentVariable, SocketPath);
        var context = new CliContext
        {
            Out = output,
            Error = error,
            Input = new MemoryStream(Input),
            OutputStream = stdout,
            InputIsTerminal = InputIsTerminal,
            OutputIsTerminal = OutputIsTerminal,
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
            Time = Time,
        };
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString(), stdout.ToArray());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);
}

/// <summary>What one run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error, byte[] OutputBytes)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => new StringBuilder()
        .Append("exit ").Append(ExitCode).Append("\nstdout:\n").Append(Out).Append("stderr:\n").Append(Error).ToString();
}
