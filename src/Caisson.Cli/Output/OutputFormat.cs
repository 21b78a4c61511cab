using Caisson.Cli.Arguments;
using Caisson.Cli.Commands;

namespace Caisson.Cli.Output;

/// <summary>How a listing prints: for people (a table or a text block) or as JSON for scripts.</summary>
internal enum OutputFormat
{
    Human,
    Json,
}

/// <summary>The <c>-o/--output</c> flag shared by the listing verbs.</summary>
internal static class OutputOption
{
    /// <param name="humanName">What the human format is called for this verb: "table" or "text".</param>
    public static FlagSpec Flag(string humanName) =>
        FlagSpec.Value("output", 'o', "FORMAT", $"Output format: {humanName} or json", humanName);

    public static OutputFormat Read(CommandInvocation invocation, string humanName)
    {
        var value = invocation.Arguments.Value("output", humanName);
        if (value == humanName)
            return OutputFormat.Human;
        if (value == "json")
            return OutputFormat.Json;
        throw invocation.UsageError($"unknown output format \"{value}\": use {humanName} or json");
    }
}
