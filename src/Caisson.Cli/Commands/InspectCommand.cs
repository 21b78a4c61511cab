using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Api.V1;
using Caisson.Cli.Containers;
using Caisson.Cli.Output;
using Google.Protobuf;

namespace Caisson.Cli.Commands;

/// <summary>caisson inspect: a container's, a pod's or an image's details as JSON.</summary>
internal static class InspectCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "inspect",
        Usage = "caisson inspect NAME|ID [NAME|ID...]",
        Summary = "Show containers', pods' or images' details as JSON",
        Description = "Prints a JSON array with one object per argument. An argument that names a container (its "
            + "id, a unique start of one, or its name) gives the container's full status from the daemon: state, "
            + "times, exit code, mounts, log path, labels, and the daemon's own details (\"Type\": \"container\"). "
            + "One that names a pod likewise gives the pod's status (\"Type\": \"pod\"). Anything else is an "
            + "image: its id, names, size, creation time and platform, the manifest digest, the layer chain ids, "
            + "and the manifest and image config as the registry served them. An argument that cannot be found is "
            + "reported on standard error; the others are still printed.",
        Examples =
        [
            new("caisson inspect busybox", "Everything about the image busybox:latest"),
            new("caisson inspect web | jq -r '.[0].Status.logPath'", "Where the container named web logs, with jq"),
            new("caisson inspect busybox | jq '.[0].Config.config.Entrypoint'", "One field of an image's config"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var runtime = invocation.Daemon.Runtime;
        var containers = await DaemonObjects.ListContainersAsync(runtime, invocation.CancellationToken);
        var pods = await DaemonObjects.ListPodsAsync(runtime, invocation.CancellationToken);
        var found = new List<Action<Utf8JsonWriter>>();
        var exitCode = await invocation.ForEachArgumentAsync(async reference =>
        {
            if (DaemonObjects.FindContainer(containers, reference) is { } container)
            {
                var response = await runtime.ContainerStatusAsync(
                    new ContainerStatusRequest { ContainerId = container.Id, Verbose = true }, cancellationToken: invocation.CancellationToken);
                found.Add(json => WriteRuntimeObject(json, "container", container.Id, response.Status, response.Info));
            }
            else if (DaemonObjects.FindPod(pods, reference) is { } pod)
            {
                var response = await runtime.PodSandboxStatusAsync(
                    new PodSandboxStatusRequest { PodSandboxId = pod.Id, Verbose = true }, cancellationToken: invocation.CancellationToken);
                found.Add(json => WriteRuntimeObject(json, "pod", pod.Id, response.Status, response.Info));
            }
            else
            {
                var image = await invocation.Daemon.Images.InspectAsync(
                    new InspectRequest { Reference = reference }, cancellationToken: invocation.CancellationToken);
                found.Add(json => WriteImage(json, image));
            }
        });
        JsonOutput.Write(invocation.Out, json =>
        {
            json.WriteStartArray();
            foreach (var write in found)
                write(json);
            json.WriteEndArray();
        });
        return exitCode;
    }

    /// <summary>The CRI status in protobuf's JSON mapping, and the daemon's verbose details, each value a JSON document.</summary>
    private static void WriteRuntimeObject(Utf8JsonWriter json, string type, string id, IMessage status, IDictionary<string, string> info)
    {
        json.WriteStartObject();
        json.WriteString("Type", type);
        json.WriteString("Id", id);
        JsonOutput.WriteEmbeddedDocument(json, "Status", JsonFormatter.Default.Format(status));
        json.WriteStartObject("Info");
        foreach (var (key, value) in info.OrderBy(p => p.Key, StringComparer.Ordinal))
            JsonOutput.WriteEmbeddedDocument(json, key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter json, InspectResponse image)
    {
        json.WriteStartObject();
        ImageText.WriteSummaryFields(json, image.Summary ?? new ImageSummary());
        json.WriteString("ManifestDigest", image.ManifestDigest);
        JsonOutput.WriteStringArray(json, "ChainIds", image.ChainIds);
        JsonOutput.WriteEmbeddedDocument(json, "Manifest", image.ManifestJson);
        JsonOutput.WriteEmbeddedDocument(json, "Config", image.ConfigJson);
        json.WriteEndObject();
    }
}
