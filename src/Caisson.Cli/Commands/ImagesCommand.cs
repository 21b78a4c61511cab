using Caisson.Api.V1;
using Caisson.Cli.Arguments;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson images: lists the images the daemon stores.</summary>
internal static class ImagesCommand
{
    private const string None = "<none>";

    public static CommandSpec Spec { get; } = new()
    {
        Name = "images",
        Usage = "caisson images [OPTIONS] [REFERENCE]",
        Summary = "List images",
        Description = "Lists the images caissond stores, newest first, one row per name (an image with two tags "
            + "shows twice; one without any shows as <none>). REFERENCE narrows the list to a repository or to one "
            + "name. Sizes are unpacked sizes in decimal units.",
        Flags =
        [
            FlagSpec.Boolean("quiet", 'q', "Print only image ids, once each"),
            FlagSpec.Boolean("digests", null, "Add a DIGEST column with the repository digest"),
            FlagSpec.Boolean("no-trunc", null, "Print full image ids"),
            OutputOption.Flag("table"),
        ],
        Examples =
        [
            new("caisson images", "List all images"),
            new("caisson images -q busybox", "Ids of the busybox images, for scripts"),
            new("caisson images -o json", "Everything as JSON, with full ids and times"),
        ],
        MaxArguments = 1,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        var format = OutputOption.Read(invocation, "table");
        var request = new ListImagesRequest { Filter = arguments.Positionals.FirstOrDefault() ?? "" };
        var response = await invocation.Daemon.Images.ListAsync(request, cancellationToken: invocation.CancellationToken);
        var images = response.Images.OrderByDescending(i => i.Created).ThenBy(i => i.RepoTags.FirstOrDefault(), StringComparer.Ordinal).ToList();
        var noTrunc = arguments.Flag("no-trunc");

        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(invocation.Out, json =>
            {
                json.WriteStartArray();
                foreach (var image in images)
                {
                    json.WriteStartObject();
                    ImageText.WriteSummaryFields(json, image);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            });
            return ExitCodes.Success;
        }
        if (arguments.Flag("quiet"))
        {
            foreach (var id in images.Select(i => i.Id).Distinct())
                invocation.Out.WriteLine(noTrunc ? id : ImageText.ShortId(id));
            return ExitCodes.Success;
        }
        WriteTable(invocation, images, arguments.Flag("digests"), noTrunc);
        return ExitCodes.Success;
    }

    private static void WriteTable(CommandInvocation invocation, List<ImageSummary> images, bool digests, bool noTrunc)
    {
        var now = invocation.Context.Time.GetUtcNow();
        var table = digests
            ? new TableWriter("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
            : new TableWriter("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        foreach (var image in images)
        {
            var id = noTrunc ? image.Id : ImageText.ShortId(image.Id);
            var created = HumanFormat.Ago(image.Created, now);
            var size = HumanFormat.Size(image.Size);
            foreach (var (repository, tag) in Names(image))
            {
                if (digests)
                    table.AddRow(repository, tag, DigestFor(image, repository), id, created, size);
                else
                    table.AddRow(repository, tag, id, created, size);
            }
        }
        table.WriteTo(invocation.Out);
    }

    /// <summary>(repository, tag) per row: one per tag; an untagged image shows its digest names, or &lt;none&gt;.</summary>
    private static IEnumerable<(string Repository, string Tag)> Names(ImageSummary image)
    {
        if (image.RepoTags.Count > 0)
            return image.RepoTags.Select(SplitTag);
        if (image.RepoDigests.Count > 0)
            return image.RepoDigests.Select(d => (SplitDigest(d).Repository, None)).Distinct();
        return [(None, None)];
    }

    private static string DigestFor(ImageSummary image, string repository) =>
        image.RepoDigests.Select(SplitDigest).FirstOrDefault(d => d.Repository == repository).Digest ?? None;

    private static (string Repository, string Tag) SplitTag(string repoTag)
    {
        // The tag follows the last colon, unless that colon belongs to a registry port ("localhost:5000/app").
        var colon = repoTag.LastIndexOf(':');
        return colon > repoTag.LastIndexOf('/') ? (repoTag[..colon], repoTag[(colon + 1)..]) : (repoTag, None);
    }

    private static (string Repository, string? Digest) SplitDigest(string repoDigest)
    {
        var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (repoDigest, null) : (repoDigest[..at], repoDigest[(at + 1)..]);
    }
}
