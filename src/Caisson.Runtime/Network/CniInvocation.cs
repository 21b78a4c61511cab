using Caisson.Core.Errors;

namespace Caisson.Runtime.Network;

/// <summary>The CNI_COMMAND values caisson runs.</summary>
internal enum CniCommand
{
    Add,
    Del,
    Check,
    Version,
}

/// <summary>
/// The environment of one CNI execution (spec section "Parameters"): which container, which namespace, which
/// interface, and the CNI_ARGS key/value pairs.
/// </summary>
internal sealed record CniInvocation(
    string ContainerId,
    string NetworkNamespacePath,
    string InterfaceName,
    IReadOnlyList<KeyValuePair<string, string>> Arguments)
{
    /// <summary>CNI_ARGS as Kubernetes runtimes pass it; IgnoreUnknown lets plugins skip keys they do not know.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> KubernetesArguments(
        string podNamespace, string podName, string sandboxId) =>
    [
        new("IgnoreUnknown", "1"),
        new("K8S_POD_NAMESPACE", podNamespace),
        new("K8S_POD_NAME", podName),
        new("K8S_POD_INFRA_CONTAINER_ID", sandboxId),
    ];

    public CniInvocation WithInterface(string interfaceName) => this with { InterfaceName = interfaceName };

    /// <summary>CNI_ARGS: "K=V;K=V". A ';' or '=' inside a value would split it, so those are refused.</summary>
    public string FormatArguments()
    {
        foreach (var (key, value) in Arguments)
        {
            if (key.Length == 0 || key.AsSpan().IndexOfAny(";=") >= 0 || value.AsSpan().IndexOfAny(";=") >= 0)
                throw new InvalidArgumentException($"CNI argument {key}={value} must not contain ';' or '=' in its key or value");
        }

        return string.Join(';', Arguments.Select(a => $"{a.Key}={a.Value}"));
    }

    public static string CommandName(CniCommand command) => command switch
    {
        CniCommand.Add => "ADD",
        CniCommand.Del => "DEL",
        CniCommand.Check => "CHECK",
        _ => "VERSION",
    };
}
