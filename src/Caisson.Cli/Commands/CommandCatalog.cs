namespace Caisson.Cli.Commands;

/// <summary>Every verb, in the order the top-level help lists them.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        RunCommand.Spec,
        PsCommand.Spec,
        LogsCommand.Spec,
        ExecCommand.Spec,
        StopCommand.Spec,
        RmCommand.Spec,
        StatsCommand.Spec,
        PodsCommand.Spec,
        PullCommand.Spec,
        ImagesCommand.Spec,
        RmiCommand.Spec,
        TagCommand.Spec,
        InspectCommand.Spec,
        LoadCommand.Spec,
        SaveCommand.Spec,
        InfoCommand.Spec,
        VersionCommand.Spec,
        ConfigCommand.Spec,
    ];

    public static CommandSpec? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
