using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson ps: lists containers, like `docker ps`.</summary>
internal static class PsCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "ps",
        Usage = "caisson ps [OPTIONS]",
        Summary = "List containers",
        Description = "Lists the running containers, newest first: id, image, command, when it was created, its "
            + "status (\"Up 3 minutes\", \"Exited (0) 2 seconds ago\"), the pod it runs in, and its name. -a adds "
            + "the ones that are created or have exited. Containers a kubelet created show too, in their pods.",
        Flags =
        [
            FlagSpec.Boolean("all", 'a', "Show all containers, not only running ones"),
            FlagSpec.Boolean("quiet", 'q', "Print only container ids"),
            FlagSpec.Boolean("no-trunc", null, "Print full ids and commands"),
            OutputOption.Flag("table"),
        ],
        Examples =
        [
            new("caisson ps", "Running containers"),
            new("caisson ps -aq | xargs caisson rm -f", "Remove every container"),
            new("caisson ps -a -o json", "Everything as JSON, with full ids, times and exit codes"),
        ],
        RunAsync = RunAsync,
    };

    private sealed record Row(Container Container, ContainerStatus Status, IReadOnlyList<string> Command, PodSandbox? Pod);

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        var format = OutputOption.Read(invocation, "table");
        var noTrunc = arguments.Flag("no-trunc");
        var runtime = invocation.Daemon.Runtime;
        var containers = await DaemonObjects.ListContainersAsync(runtime, invocation.CancellationToken, runningOnly: !arguments.Flag("all"));
        var ordered = containers.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        if (format == OutputFormat.Human && arguments.Flag("quiet"))
        {
            ContainerText.WriteIds(invocation.Out, ordered.Select(c => c.Id), noTrunc);
            return ExitCodes.Success;
        }

        var pods = (await DaemonObjects.ListPodsAsync(runtime, invocation.CancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        // A container removed between the list and its status is left out rather than failing the listing.
        // Verbose only for containers `caisson run` did not start: the OCI spec in the info names their command.
        var statuses = await Task.WhenAll(ordered.Select(c => DaemonObjects.UnlessNotFoundAsync(() => DaemonObjects.StatusResponseAsync(
            runtime, c.Id, verbose: ContainerText.CommandOf(c.Annotations).Count == 0, invocation.CancellationToken))));
        var rows = ordered.Zip(statuses)
            .Where(pair => pair.Second is not null)
            .Select(pair => new Row(pair.First, pair.Second!.Status, ContainerText.CommandOf(pair.First.Annotations, pair.Second.Info), pods.GetValueOrDefault(pair.First.PodSandboxId)))
            .ToList();
        var now = invocation.Context.Time.GetUtcNow();
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(invocation.Out, json => WriteJson(json, rows, now));
            return ExitCodes.Success;
        }
        var table = new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "POD", "NAME");
        foreach (var (container, status, command, pod) in rows)
        {
            table.AddRow(
                noTrunc ? container.Id : ContainerText.ShortId(container.Id),
                container.Image?.Image ?? "",
                ContainerText.Command(command, noTrunc),
                ContainerText.Ago(container.CreatedAt, now),
                ContainerText.Status(status, now),
                pod?.Metadata?.Name ?? ContainerText.ShortId(container.PodSandboxId),
                DaemonObjects.NameOf(container));
        }
        table.WriteTo(invocation.Out);
        return ExitCodes.Success;
    }

    private static void WriteJson(Utf8JsonWriter json, List<Row> rows, DateTimeOffset now)
    {
        json.WriteStartArray();
        foreach (var (container, status, command, pod) in rows)
        {
            json.WriteStartObject();
            json.WriteString("Id", container.Id);
            json.WriteString("Name", DaemonObjects.NameOf(container));
            json.WriteString("Image", container.Image?.Image ?? "");
            json.WriteString("ImageId", container.ImageRef);
            JsonOutput.WriteStringArray(json, "Command", command);
            json.WriteString("State", ContainerText.State(status.State));
            json.WriteString("Status", ContainerText.Status(status, now));
            JsonOutput.WriteUnixTime(json, "Created", container.CreatedAt / 1_000_000_000);
            JsonOutput.WriteUnixTime(json, "StartedAt", status.StartedAt / 1_000_000_000);
            JsonOutput.WriteUnixTime(json, "FinishedAt", status.FinishedAt / 1_000_000_000);
            if (status.State == ContainerState.ContainerExited)
                json.WriteNumber("ExitCode", status.ExitCode);
            else
                json.WriteNull("ExitCode");
            json.WriteString("PodId", container.PodSandboxId);
            json.WriteString("PodName", pod?.Metadata?.Name ?? "");
            json.WriteString("PodNamespace", pod?.Metadata?.Namespace ?? "");
            JsonOutput.WriteStringMap(json, "Labels", container.Labels);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
