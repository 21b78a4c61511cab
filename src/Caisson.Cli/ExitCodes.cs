namespace Caisson.Cli;

/// <summary>What `caisson` exits with, as scripts see it.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The daemon (or a file) said no.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted with Ctrl-C, as a shell reports SIGINT (128 + 2).</summary>
    public const int Canceled = 130;
}
