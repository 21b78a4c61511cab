using Caisson.Api.V1;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson info: how the daemon is set up and what it stores.</summary>
internal static class InfoCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "info",
        Usage = "caisson info [OPTIONS]",
        Summary = "Show how the daemon is set up",
        Description = "Prints caissond's version, its directories and socket, the snapshotter, the default OCI "
            + "runtime, the cgroup version and kernel it runs on, and how many images and bytes of content it stores.",
        Flags = [OutputOption.Flag("text")],
        Examples =
        [
            new("caisson info", "Show the daemon's setup"),
            new("caisson info -o json", "The same as JSON"),
        ],
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var format = OutputOption.Read(invocation, "text");
        var info = await invocation.Daemon.System.InfoAsync(new InfoRequest(), cancellationToken: invocation.CancellationToken);
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(invocation.Out, json =>
            {
                json.WriteStartObject();
                json.WriteString("Version", info.Version);
                json.WriteString("Root", info.Root);
                json.WriteString("State", info.State);
                json.WriteString("Socket", info.Socket);
                json.WriteString("Snapshotter", info.Snapshotter);
                json.WriteNumber("Images", info.Images);
                json.WriteNumber("ContentBytes", info.ContentBytes);
                json.WriteString("CgroupVersion", info.CgroupVersion);
                json.WriteString("DefaultRuntime", info.DefaultRuntime);
                json.WriteString("Kernel", info.Kernel);
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }
        new KeyValueBlock()
            .Add("Server Version", info.Version)
            .Add("Root Dir", info.Root)
            .Add("State Dir", info.State)
            .Add("Socket", info.Socket)
            .Add("Snapshotter", info.Snapshotter)
            .Add("Default Runtime", info.DefaultRuntime)
            .Add("Cgroup Version", info.CgroupVersion)
            .Add("Kernel Version", info.Kernel)
            .Add("Images", info.Images.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("Content Size", HumanFormat.Size(info.ContentBytes))
            .WriteTo(invocation.Out);
        return ExitCodes.Success;
    }
}
