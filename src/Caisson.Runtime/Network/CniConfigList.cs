using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Network;

/// <summary>
/// A CNI network configuration list: a name, a spec version and the plugins to run in order. A single-plugin
/// <c>.conf</c> file is read as a list of one, as libcni does.
/// </summary>
internal sealed partial class CniConfigList
{
    private static readonly string[] Extensions = [".conflist", ".conf", ".json"];

    private CniConfigList(string source, string cniVersion, string name, IReadOnlyList<JsonObject> plugins)
    {
        Source = source;
        CniVersion = cniVersion;
        Name = name;
        Plugins = plugins;
    }

    /// <summary>Where the list came from (a file path), for error messages.</summary>
    public string Source { get; }

    public string CniVersion { get; }

    public string Name { get; }

    /// <summary>The plugin configurations as written; callers get copies to add runtime fields to.</summary>
    public IReadOnlyList<JsonObject> Plugins { get; }

    /// <summary>The plugin types in order (bridge, portmap, ...).</summary>
    public IEnumerable<string> PluginTypes => Plugins.Select(p => (string)p["type"]!);

    /// <summary>The first configuration file in <paramref name="directory"/> by ordinal name order, as containerd picks it.</summary>
    public static CniConfigList LoadFromDirectory(string directory)
    {
        var files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (files.Count == 0)
            throw new FailedPreconditionException(
                $"no CNI network configuration (*.conflist, *.conf, *.json) in {directory}");
        return Load(files[0]);
    }

    public static CniConfigList Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new FailedPreconditionException($"CNI network configuration {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates a list (or a single plugin configuration); errors name <paramref name="source"/>.</summary>
    public static CniConfigList Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw Invalid(source, "not a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"not valid JSON: {e.Message}", e);
        }

        var cniVersion = RequiredString(root, "cniVersion", source);
        var name = RequiredString(root, "name", source);
        if (!NetworkNamePattern().IsMatch(name))
            throw Invalid(source, $"network name '{name}' must start with a letter or digit and hold only letters, digits, '_', '.' and '-'");

        List<JsonObject> plugins;
        if (root["plugins"] is { } pluginsNode)
        {
            if (pluginsNode is not JsonArray array || array.Count == 0)
                throw Invalid(source, "\"plugins\" must be a non-empty array");
            plugins = [];
            for (var i = 0; i < array.Count; i++)
                plugins.Add(array[i] as JsonObject ?? throw Invalid(source, $"plugins[{i}] is not an object"));
        }
        else if (root["type"] is not null)
        {
            plugins = [root];
        }
        else
        {
            throw Invalid(source, "neither \"plugins\" nor \"type\" is present");
        }

        for (var i = 0; i < plugins.Count; i++)
        {
            var type = RequiredString(plugins[i], "type", source, $"plugins[{i}].");
            if (type.Contains('/', StringComparison.Ordinal) || type is "." or "..")
                throw Invalid(source, $"plugins[{i}].type '{type}' must be a plain executable name");
        }

        return new CniConfigList(source, cniVersion, name, plugins.Select(p => (JsonObject)p.DeepClone()).ToList());
    }

    /// <summary>The whole list as JSON, for persisting what a later DEL must run.</summary>
    public string ToJson() => new JsonObject
    {
        ["cniVersion"] = CniVersion,
        ["name"] = Name,
        ["plugins"] = new JsonArray(Plugins.Select(p => (JsonNode)p.DeepClone()).ToArray()),
    }.ToJsonString();

    private static string RequiredString(JsonObject node, string field, string source, string prefix = "")
    {
        if (node[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
            return text;
        throw Invalid(source, $"\"{prefix}{field}\" must be a non-empty string");
    }

    private static InvalidArgumentException Invalid(string source, string problem, Exception? inner = null) =>
        new($"CNI network configuration {source}: {problem}", inner);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$")]
    private static partial Regex NetworkNamePattern();
}
