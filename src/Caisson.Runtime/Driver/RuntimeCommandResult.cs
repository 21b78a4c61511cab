namespace Caisson.Runtime.Driver;

/// <summary>How one runtime command (runc state, kill, ...) exited and what it printed.</summary>
internal sealed record RuntimeCommandResult(int ExitCode, string StandardOutput, string StandardError);
