using Caisson.Core.Configuration;

namespace Caisson.Cli.Commands;

/// <summary>caisson config default: the daemon's configuration file with every default, documented.</summary>
internal static class ConfigCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "config",
        Usage = "caisson config default",
        Summary = "Print the default daemon configuration",
        Description = "`caisson config default` prints the configuration file caissond reads ("
            + CaissonConfig.DefaultPath + ") with every key set to its default and a comment saying what it does. "
            + "Save it, change what you need, and delete the rest. No daemon is needed.",
        Examples = [new("caisson config default > /etc/caisson/config.toml", "Start a configuration file")],
        MinArguments = 1,
        MaxArguments = 1,
        RunAsync = RunAsync,
    };

    private static Task<int> RunAsync(CommandInvocation invocation)
    {
        var subcommand = invocation.Arguments.Positionals[0];
        if (subcommand != "default")
            throw invocation.UsageError($"unknown config subcommand \"{subcommand}\": the only one is \"default\"");
        invocation.Out.Write(DefaultConfigToml.Render(new CaissonConfig()));
        return Task.FromResult(ExitCodes.Success);
    }
}
