using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Network;

/// <summary>Running a whole configuration list: ADD in order with prevResult chained, DEL in reverse.</summary>
internal sealed partial class CniInvoker
{
    /// <summary>ADD through every plugin of <paramref name="list"/>; returns the last plugin's result.</summary>
    public async Task<CniResult> AddListAsync(
        CniConfigList list, CniInvocation invocation, JsonObject runtimeConfig, CancellationToken cancellationToken)
    {
        JsonObject? previous = null;
        foreach (var plugin in list.Plugins)
        {
            var output = await ExecuteAsync(
                CniCommand.Add, PluginConfig(list, plugin, previous, runtimeConfig), invocation, cancellationToken);
            // A plugin that prints nothing passes the previous result on unchanged.
            if (!string.IsNullOrWhiteSpace(output))
                previous = CniResult.Parse(output, $"CNI plugin '{plugin["type"]}'").Json;
        }

        return CniResult.Parse(previous?.ToJsonString() ?? "{}", $"CNI network '{list.Name}'");
    }

    /// <summary>
    /// DEL through every plugin of <paramref name="list"/> in reverse order, each given the ADD result when there is
    /// one (the spec lets a runtime omit it when it has none, as after an ADD that failed half-way). A plugin whose
    /// executable is missing is skipped with a warning rather than stopping the list: it cannot be run now, and
    /// stopping would keep every other plugin from releasing what it made (the usual case is an ADD that failed because
    /// that very plugin was missing, so it made nothing).
    /// </summary>
    public async Task DeleteListAsync(
        CniConfigList list, CniInvocation invocation, JsonObject runtimeConfig, JsonObject? addResult,
        CancellationToken cancellationToken)
    {
        for (var i = list.Plugins.Count - 1; i >= 0; i--)
        {
            var type = (string)list.Plugins[i]["type"]!;
            if (TryFindPlugin(type) is null)
            {
                Log.MissingPluginSkipped(logger, type, list.Name, invocation.ContainerId, string.Join(", ", PluginDirectories));
                continue;
            }

            await ExecuteAsync(
                CniCommand.Del, PluginConfig(list, list.Plugins[i], addResult, runtimeConfig), invocation, cancellationToken);
        }
    }

    /// <summary>
    /// One plugin's stdin: its own configuration with the list's name and cniVersion (the spec requires both be
    /// replaced), the previous result, and the runtimeConfig entries for the capabilities it declares.
    /// </summary>
    public static JsonObject PluginConfig(
        CniConfigList list, JsonObject plugin, JsonObject? previousResult, JsonObject runtimeConfig)
    {
        var config = (JsonObject)plugin.DeepClone();
        config["cniVersion"] = list.CniVersion;
        config["name"] = list.Name;
        config.Remove("runtimeConfig");
        config.Remove("prevResult");
        if (previousResult is not null)
            config["prevResult"] = previousResult.DeepClone();

        var granted = new JsonObject();
        if (config["capabilities"] is JsonObject capabilities)
        {
            foreach (var (capability, enabled) in capabilities)
            {
                if (enabled is JsonValue flag && flag.TryGetValue<bool>(out var on) && on
                    && runtimeConfig[capability] is { } value)
                    granted[capability] = value.DeepClone();
            }
        }

        if (granted.Count > 0)
            config["runtimeConfig"] = granted;
        return config;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "CNI DEL skips plugin '{Type}' of network '{Network}' for {ContainerId}: not found in {Directories}")]
        public static partial void MissingPluginSkipped(ILogger logger, string type, string network, string containerId, string directories);
    }
}
