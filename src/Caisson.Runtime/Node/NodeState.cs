using Caisson.Core.Configuration;
using Caisson.Images.Content;

namespace Caisson.Runtime.Node;

/// <summary>
/// What the node tells the runtime (the pod CIDR from UpdateRuntimeConfig) and what the runtime tells kubelet
/// about itself (readiness of the OCI runtime and of pod networking). The pod CIDR is kept in the state dir.
/// </summary>
public sealed class NodeState
{
    private readonly CaissonConfig _config;
    private readonly string _podCidrFile;
    private string _podCidr;

    public NodeState(CaissonConfig config)
    {
        _config = config;
        _podCidrFile = Path.Combine(config.State, "pod-cidr");
        _podCidr = File.Exists(_podCidrFile) ? File.ReadAllText(_podCidrFile).Trim() : "";
    }

    /// <summary>The node's pod CIDR as kubelet last set it; empty until then.</summary>
    public string PodCidr => Volatile.Read(ref _podCidr);

    public void SetPodCidr(string cidr)
    {
        if (cidr.Length > 0 && !System.Net.IPNetwork.TryParse(cidr, out _))
            throw new Core.Errors.InvalidArgumentException($"runtime_config.network_config.pod_cidr \"{cidr}\" is not a CIDR");
        Durability.WriteAtomic(_podCidrFile, cidr);
        Volatile.Write(ref _podCidr, cidr);
    }

    /// <summary>RuntimeReady: the default OCI runtime binary is there and executable.</summary>
    public Condition RuntimeReady()
    {
        var name = _config.Runtime.DefaultRuntime;
        if (!_config.Runtime.Handlers.TryGetValue(name, out var handler))
            return new Condition(false, "RuntimeHandlerMissing", $"default_runtime \"{name}\" is not in [runtime.handlers]");
        return IsExecutable(handler.Path)
            ? new Condition(true, "", "")
            : new Condition(false, "RuntimeBinaryMissing", $"{name} binary {handler.Path} is missing or not executable");
    }

    /// <summary>NetworkReady: a CNI network configuration exists (kubelet waits for one before scheduling pods).</summary>
    public Condition NetworkReady()
    {
        var directory = _config.Cni.ConfDir;
        var found = Directory.Exists(directory)
            && Directory.EnumerateFiles(directory).Any(f => f.EndsWith(".conflist", StringComparison.Ordinal) || f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal));
        return found
            ? new Condition(true, "", "")
            : new Condition(false, "NetworkPluginNotReady", $"no CNI network configuration in {directory}");
    }

    /// <summary>The configured runtime handlers, default first.</summary>
    public IReadOnlyList<string> RuntimeHandlers() =>
        [.. _config.Runtime.Handlers.Keys.OrderBy(n => n == _config.Runtime.DefaultRuntime ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal)];

    public string DefaultRuntime => _config.Runtime.DefaultRuntime;

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>A CRI runtime condition.</summary>
    public sealed record Condition(bool Status, string Reason, string Message);
}
