namespace Caisson.Cli;

/// <summary>
/// Everything a command touches outside itself: the standard streams, whether they are terminals, the environment
/// and the clock. Tests build one around string writers and memory streams.
/// </summary>
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Standard input as bytes (load, --password-stdin).</summary>
    public required Stream Input { get; init; }

    /// <summary>Standard output as bytes, for binary output (save without -o). Flush <see cref="Out"/> before use.</summary>
    public required Stream OutputStream { get; init; }

    public bool OutputIsTerminal { get; init; }

    public bool InputIsTerminal { get; init; }

    /// <summary>Whether standard error is a terminal: run draws its pull progress there, keeping stdout for the container.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Columns of the terminal on standard output (or error); 0 when unknown or neither is a terminal.</summary>
    public int TerminalWidth { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliContext FromConsole()
    {
        var outputIsTerminal = !Console.IsOutputRedirected;
        return new CliContext
        {
            Out = Console.Out,
            Error = Console.Error,
            Input = Console.OpenStandardInput(),
            OutputStream = Console.OpenStandardOutput(),
            OutputIsTerminal = outputIsTerminal,
            InputIsTerminal = !Console.IsInputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            TerminalWidth = outputIsTerminal || !Console.IsErrorRedirected ? SafeWindowWidth() : 0,
        };
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
