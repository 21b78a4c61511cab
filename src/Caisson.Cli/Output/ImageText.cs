using System.Text.Json;
using Caisson.Api.V1;

namespace Caisson.Cli.Output;

/// <summary>How image ids and summaries print, shared by images, inspect, pull and rmi.</summary>
internal static class ImageText
{
    private const int ShortIdLength = 12;

    /// <summary>"sha256:0123456789abcdef..." becomes "0123456789ab"; anything shorter prints whole.</summary>
    public static string ShortId(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var hex = colon < 0 ? id : id[(colon + 1)..];
        return hex.Length <= ShortIdLength ? hex : hex[..ShortIdLength];
    }

    /// <summary>The fields images -o json and inspect share, in that order.</summary>
    public static void WriteSummaryFields(Utf8JsonWriter json, ImageSummary image)
    {
        json.WriteString("Id", image.Id);
        JsonOutput.WriteStringArray(json, "RepoTags", image.RepoTags);
        JsonOutput.WriteStringArray(json, "RepoDigests", image.RepoDigests);
        json.WriteNumber("Size", image.Size);
        JsonOutput.WriteUnixTime(json, "Created", image.Created);
        json.WriteString("Platform", image.Platform);
    }
}
