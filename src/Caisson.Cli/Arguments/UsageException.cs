namespace Caisson.Cli.Arguments;

/// <summary>The command line itself is wrong (unknown verb or flag, missing value); exit code 2.</summary>
internal sealed class UsageException(string message, string? verb = null) : Exception(message)
{
    /// <summary>The verb whose help to point at, or null for the top-level help.</summary>
    public string? Verb { get; } = verb;
}
