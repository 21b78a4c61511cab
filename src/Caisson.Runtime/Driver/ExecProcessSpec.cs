using System.Text.Json;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Driver;

/// <summary>
/// The process.json for `runc exec --process`: the container's own process section from its bundle's
/// config.json (user, env, cwd, capabilities, rlimits, noNewPrivileges, apparmor and SELinux labels), so an
/// exec runs with exactly the container's identity and privileges, with only the arguments replaced and no
/// terminal. Copied as JSON rather than through our model so fields we do not model are kept too.
/// </summary>
internal static class ExecProcessSpec
{
    public static string Build(string id, string bundle, IReadOnlyList<string> command)
    {
        if (command.Count == 0)
            throw new InvalidArgumentException($"exec in container {id}: empty command");
        var configPath = Path.Combine(bundle, "config.json");
        JsonNode? config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(configPath));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new FailedPreconditionException($"exec in container {id}: cannot read {configPath}: {error.Message}", error);
        }
        catch (JsonException error)
        {
            throw new FailedPreconditionException($"exec in container {id}: {configPath} is not valid JSON: {error.Message}", error);
        }

        if (config?["process"] is not JsonObject containerProcess)
            throw new FailedPreconditionException($"exec in container {id}: {configPath} has no process section");
        var process = (JsonObject)containerProcess.DeepClone();
        process["args"] = new JsonArray(command.Select(argument => (JsonNode?)JsonValue.Create(argument)).ToArray());
        process["terminal"] = false;
        process.Remove("consoleSize");
        // The container's init already has its OOM score; an exec inherits the container's cgroup and score.
        process.Remove("oomScoreAdj");
        return process.ToJsonString();
    }
}
