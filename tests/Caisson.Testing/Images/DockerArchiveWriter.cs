using System.Text;
using System.Text.Json;

namespace Caisson.Testing.Images;

/// <summary>
/// Writes images as <c>docker save</c> did from docker 1.10 to 24: a tar with manifest.json
/// (<c>[{"Config": "HEX.json", "RepoTags": [...], "Layers": ["ID/layer.tar", ...]}]</c>), the config at
/// HEX.json (HEX: the image id), each layer uncompressed at ID/layer.tar beside a VERSION and a legacy json
/// file, and a "repositories" file mapping repository and tag to the top layer's ID. Layer directories are named
/// after the layer's chain id, so the same layer at the same place in two images is stored once.
/// </summary>
public static class DockerArchiveWriter
{
    public static void Write(Stream output, BuiltImage image, params string[] repoTags) =>
        Write(output, [(image, repoTags)]);

    public static void Write(Stream output, IReadOnlyList<(BuiltImage Image, IReadOnlyList<string> RepoTags)> images)
    {
        var files = new ArchiveFiles();
        var manifest = new List<(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers)>();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (image, repoTags) in images)
        {
            var configFile = image.ConfigDigest.Hex + ".json";
            files.Add(configFile, image.ConfigBytes);
            var layerIds = image.ChainIds.Select(c => c.Hex).ToArray();
            for (var i = 0; i < image.Layers.Count; i++)
            {
                files.Add($"{layerIds[i]}/VERSION", Encoding.ASCII.GetBytes("1.0"));
                files.Add($"{layerIds[i]}/json", LegacyLayerJson(layerIds[i], i == 0 ? null : layerIds[i - 1]));
                files.Add($"{layerIds[i]}/layer.tar", image.Layers[i].UncompressedTar);
            }

            manifest.Add((configFile, repoTags, layerIds.Select(id => id + "/layer.tar").ToArray()));
            foreach (var repoTag in repoTags)
            {
                var (repository, tag) = SplitRepoTag(repoTag);
                if (layerIds.Length > 0)
                {
                    if (!repositories.TryGetValue(repository, out var tags))
                        repositories[repository] = tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    tags[tag] = layerIds[^1];
                }
            }
        }

        files.Add("manifest.json", ManifestJson(manifest));
        files.Add("repositories", Json(w => w.WriteObject(repositories, (w, tags) => w.WriteObject(tags, (w, id) => w.WriteStringValue(id)))));
        files.WriteTar(output);
    }

    private static byte[] ManifestJson(List<(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers)> images) => Json(w =>
    {
        w.WriteStartArray();
        foreach (var (config, repoTags, layers) in images)
        {
            w.WriteStartObject();
            w.WriteString("Config", config);
            w.WriteStrings("RepoTags", repoTags);
            w.WriteStrings("Layers", layers);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static byte[] LegacyLayerJson(string id, string? parent) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        if (parent is not null)
            w.WriteString("parent", parent);
        w.WriteEndObject();
    });

    /// <summary>"host:5000/app:v1" is repository "host:5000/app", tag "v1"; no tag means "latest".</summary>
    private static (string Repository, string Tag) SplitRepoTag(string repoTag)
    {
        var colon = repoTag.LastIndexOf(':');
        return colon > repoTag.LastIndexOf('/') ? (repoTag[..colon], repoTag[(colon + 1)..]) : (repoTag, "latest");
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return buffer.ToArray();
    }

    private static void WriteStrings(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static void WriteObject<T>(this Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, T>> members, Action<Utf8JsonWriter, T> writeValue)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members)
        {
            writer.WritePropertyName(name);
            writeValue(writer, value);
        }

        writer.WriteEndObject();
    }
}
