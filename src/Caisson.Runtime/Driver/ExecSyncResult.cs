using Caisson.Core.Errors;

namespace Caisson.Runtime.Driver;

/// <summary>What a synchronous exec printed and how it exited; output past the cap was read and dropped.</summary>
public sealed record ExecSyncResult(int ExitCode, byte[] Stdout, byte[] Stderr, bool StdoutTruncated, bool StderrTruncated);

/// <summary>An exec that outlived its timeout: it was killed with its children; <see cref="Partial"/> holds what it printed.</summary>
public sealed class ExecTimeoutException(string message, ExecSyncResult partial)
    : CaissonException(ErrorKind.DeadlineExceeded, message)
{
    public ExecSyncResult Partial { get; } = partial;
}
