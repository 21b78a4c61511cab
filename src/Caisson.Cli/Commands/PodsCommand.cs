using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson pods: lists pod sandboxes, those `caisson run` made and those a kubelet made.</summary>
internal static class PodsCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "pods",
        Usage = "caisson pods [OPTIONS]",
        Summary = "List pods",
        Description = "Lists the pod sandboxes caissond runs, newest first: id, name, namespace, state (Ready or "
            + "NotReady), when it was created, its IP address and its OCI runtime handler. Every container `caisson "
            + "run` starts has a pod of its own in namespace \"caisson\"; pods a kubelet created show in theirs.",
        Flags =
        [
            FlagSpec.Boolean("quiet", 'q', "Print only pod ids"),
            FlagSpec.Boolean("no-trunc", null, "Print full pod ids"),
            OutputOption.Flag("table"),
        ],
        Examples =
        [
            new("caisson pods", "All pods"),
            new("caisson pods -o json", "The same as JSON, with full ids, labels and IP addresses"),
        ],
        RunAsync = RunAsync,
    };

    private sealed record Row(PodSandbox Pod, PodSandboxStatus? Status);

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        var format = OutputOption.Read(invocation, "table");
        var noTrunc = arguments.Flag("no-trunc");
        var runtime = invocation.Daemon.Runtime;
        var pods = (await DaemonObjects.ListPodsAsync(runtime, invocation.CancellationToken))
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        if (format == OutputFormat.Human && arguments.Flag("quiet"))
        {
            ContainerText.WriteIds(invocation.Out, pods.Select(p => p.Id), noTrunc);
            return ExitCodes.Success;
        }

        // The IP address is only in the pod's status.
        var statuses = await Task.WhenAll(pods.Select(p => DaemonObjects.UnlessNotFoundAsync(async () => (await runtime.PodSandboxStatusAsync(
            new PodSandboxStatusRequest { PodSandboxId = p.Id }, cancellationToken: invocation.CancellationToken)).Status)));
        var rows = pods.Zip(statuses, (pod, status) => new Row(pod, status)).ToList();
        var now = invocation.Context.Time.GetUtcNow();
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(invocation.Out, json => WriteJson(json, rows));
            return ExitCodes.Success;
        }
        var table = new TableWriter("POD ID", "NAME", "NAMESPACE", "STATE", "CREATED", "IP", "RUNTIME");
        foreach (var (pod, status) in rows)
        {
            table.AddRow(
                noTrunc ? pod.Id : ContainerText.ShortId(pod.Id),
                pod.Metadata?.Name ?? "",
                pod.Metadata?.Namespace ?? "",
                ContainerText.PodState(pod.State),
                ContainerText.Ago(pod.CreatedAt, now),
                IpOf(status),
                pod.RuntimeHandler);
        }
        table.WriteTo(invocation.Out);
        return ExitCodes.Success;
    }

    private static string IpOf(PodSandboxStatus? status) => status?.Network?.Ip ?? "";

    private static void WriteJson(Utf8JsonWriter json, List<Row> rows)
    {
        json.WriteStartArray();
        foreach (var (pod, status) in rows)
        {
            json.WriteStartObject();
            json.WriteString("Id", pod.Id);
            json.WriteString("Name", pod.Metadata?.Name ?? "");
            json.WriteString("Namespace", pod.Metadata?.Namespace ?? "");
            json.WriteString("Uid", pod.Metadata?.Uid ?? "");
            json.WriteString("State", ContainerText.PodState(pod.State));
            JsonOutput.WriteUnixTime(json, "Created", pod.CreatedAt / 1_000_000_000);
            json.WriteString("Ip", IpOf(status));
            JsonOutput.WriteStringArray(json, "AdditionalIps", status?.Network?.AdditionalIps.Select(i => i.Ip) ?? []);
            json.WriteString("RuntimeHandler", pod.RuntimeHandler);
            JsonOutput.WriteStringMap(json, "Labels", pod.Labels);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
