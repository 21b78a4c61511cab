using System.Text.Json;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Images.Content;

namespace Caisson.Runtime.Network;

/// <summary>
/// What a later DEL needs, kept per sandbox: the configuration list used for ADD (the conf dir may change meanwhile),
/// the CNI arguments, the port mappings and the ADD result. Written before ADD starts, so a crash half-way leaves a
/// record that teardown can act on, and again with the result once ADD completes.
/// </summary>
internal sealed record PodNetworkState(
    PodNetworkRequest Request,
    CniConfigList ConfigList,
    JsonObject? Result)
{
    public string ToJson() => new JsonObject
    {
        ["sandboxId"] = Request.SandboxId,
        ["podName"] = Request.PodName,
        ["podNamespace"] = Request.PodNamespace,
        ["networkNamespace"] = Request.NetworkNamespacePath,
        ["portMappings"] = new JsonArray(Request.PortMappings.Select(m => (JsonNode)m.ToJson()).ToArray()),
        ["configSource"] = ConfigList.Source,
        ["configList"] = JsonNode.Parse(ConfigList.ToJson()),
        ["result"] = Result?.DeepClone(),
    }.ToJsonString();

    public static PodNetworkState Parse(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json)!.AsObject();
            var request = new PodNetworkRequest(
                root["sandboxId"]!.GetValue<string>(),
                root["podName"]!.GetValue<string>(),
                root["podNamespace"]!.GetValue<string>(),
                root["networkNamespace"]!.GetValue<string>(),
                root["portMappings"]!.AsArray().Select(m => PortMapping.FromJson(m!.AsObject())).ToList());
            var configSource = root["configSource"]!.GetValue<string>();
            var list = CniConfigList.Parse(root["configList"]!.ToJsonString(), configSource);
            return new PodNetworkState(request, list, root["result"] as JsonObject);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new CaissonException(ErrorKind.Internal, $"pod network state {source} is damaged: {e.Message}", e);
        }
    }
}

/// <summary>One JSON file per sandbox under the state directory, each replaced atomically.</summary>
internal sealed class PodNetworkStateStore(string directory)
{
    public string Directory { get; } = directory;

    public string PathOf(string sandboxId) => Path.Combine(Directory, $"{sandboxId}.json");

    public PodNetworkState? Read(string sandboxId)
    {
        var path = PathOf(sandboxId);
        return File.Exists(path) ? PodNetworkState.Parse(File.ReadAllText(path), path) : null;
    }

    public void Write(PodNetworkState state) => Durability.WriteAtomic(PathOf(state.Request.SandboxId), state.ToJson());

    public void Delete(string sandboxId)
    {
        File.Delete(PathOf(sandboxId));
        if (System.IO.Directory.Exists(Directory))
            Durability.SyncDirectory(Directory);
    }
}
