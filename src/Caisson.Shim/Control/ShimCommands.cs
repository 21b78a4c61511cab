namespace Caisson.Shim.Control;

/// <summary>The request words of the control protocol (documented in Program.cs).</summary>
internal static class ShimCommands
{
    public const string Start = "start";
    public const string Status = "status";
    public const string Wait = "wait";
    public const string Signal = "signal";
    public const string ReopenLog = "reopen-log";
    public const string Stdin = "stdin";
    public const string CloseStdin = "close-stdin";
    public const string Shutdown = "shutdown";
}
