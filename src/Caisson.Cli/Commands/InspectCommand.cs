using Caisson.Api.V1;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson inspect: an image's details, manifest and config as JSON.</summary>
internal static class InspectCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "inspect",
        Usage = "caisson inspect IMAGE [IMAGE...]",
        Summary = "Show images' details as JSON",
        Description = "Prints a JSON array with one object per IMAGE: its id, names, size, creation time and "
            + "platform, the manifest digest, the layer chain ids, and the manifest and the image config as the "
            + "registry served them. An IMAGE that cannot be found is reported on standard error; the others are "
            + "still printed.",
        Examples =
        [
            new("caisson inspect busybox", "Everything about busybox:latest"),
            new("caisson inspect busybox | jq '.[0].Config.config.Entrypoint'", "One field, with jq"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var found = new List<InspectResponse>();
        var exitCode = await invocation.ForEachArgumentAsync(async reference =>
        {
            var request = new InspectRequest { Reference = reference };
            found.Add(await invocation.Daemon.Images.InspectAsync(request, cancellationToken: invocation.CancellationToken));
        });
        JsonOutput.Write(invocation.Out, json =>
        {
            json.WriteStartArray();
            foreach (var image in found)
            {
                json.WriteStartObject();
                ImageText.WriteSummaryFields(json, image.Summary ?? new ImageSummary());
                json.WriteString("ManifestDigest", image.ManifestDigest);
                JsonOutput.WriteStringArray(json, "ChainIds", image.ChainIds);
                JsonOutput.WriteEmbeddedDocument(json, "Manifest", image.ManifestJson);
                JsonOutput.WriteEmbeddedDocument(json, "Config", image.ConfigJson);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
        return exitCode;
    }
}
