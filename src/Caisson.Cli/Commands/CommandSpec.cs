using Caisson.Cli.Arguments;

namespace Caisson.Cli.Commands;

/// <summary>A verb: what help says about it, the flags it takes, how many arguments, and what it runs.</summary>
internal sealed class CommandSpec
{
    /// <summary>The verb as typed, e.g. "pull" or "config".</summary>
    public required string Name { get; init; }

    /// <summary>The usage line after "Usage: ", e.g. "caisson pull [OPTIONS] IMAGE".</summary>
    public required string Usage { get; init; }

    /// <summary>One line for the command list in the top-level help.</summary>
    public required string Summary { get; init; }

    /// <summary>One paragraph for the command's own help.</summary>
    public required string Description { get; init; }

    public IReadOnlyList<FlagSpec> Flags { get; init; } = [];

    public IReadOnlyList<CommandExample> Examples { get; init; } = [];

    public int MinArguments { get; init; }

    public int MaxArguments { get; init; }

    /// <summary>
    /// Flags end at the first argument, as in <c>docker run IMAGE ls -l</c>: everything after it, dashes and all,
    /// is an argument (the container's command), not a flag of ours.
    /// </summary>
    public bool FlagsEndAtFirstArgument { get; init; }

    public required Func<CommandInvocation, Task<int>> RunAsync { get; init; }
}

/// <summary>A command line worth copying, with what it does.</summary>
internal sealed record CommandExample(string CommandLine, string Explanation);
