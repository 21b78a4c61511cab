using System.Text.Json;

namespace Caisson.Cli.Containers;

/// <summary>The Entrypoint and Cmd an image's config sets, which decide what a container runs when `run` does not say.</summary>
internal sealed record ImageDefaults(IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd)
{
    public static readonly ImageDefaults None = new([], []);

    /// <summary>Reads them from the image config JSON the daemon serves; a config it cannot read gives none.</summary>
    public static ImageDefaults Parse(string configJson)
    {
        if (string.IsNullOrEmpty(configJson))
            return None;
        try
        {
            using var document = JsonDocument.Parse(configJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("config", out var config)
                || config.ValueKind != JsonValueKind.Object)
            {
                return None;
            }
            var entrypoint = Strings(config, "Entrypoint");
            // An Entrypoint of [""] is how an image says it has none.
            return new ImageDefaults(entrypoint is [""] ? [] : entrypoint, Strings(config, "Cmd"));
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static List<string> Strings(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
