using System.Text.RegularExpressions;
using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Runtime.Network;

/// <summary>
/// A pod's network through CNI: "lo" with the loopback plugin (as containerd does, so any conflist gets a working
/// loopback), then eth0 through the configured list; teardown in reverse from the record kept at set-up. Calls for one
/// sandbox must not overlap (the CRI layer serialises them); different sandboxes may run concurrently.
/// </summary>
internal sealed partial class PodNetwork
{
    public const string PodInterface = "eth0";
    public const string LoopbackInterface = "lo";

    private static readonly CniConfigList Loopback = CniConfigList.Parse(
        """{"cniVersion":"1.0.0","name":"cni-loopback","plugins":[{"type":"loopback"}]}""", "built-in loopback network");

    private readonly PodNetworkOptions _options;
    private readonly CniInvoker _invoker;
    private readonly PodNetworkStateStore _states;
    private readonly ILogger _logger;

    public PodNetwork(PodNetworkOptions options, ILogger<PodNetwork>? logger = null)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _invoker = new CniInvoker(options.PluginDirectories, options.PluginTimeout, _logger);
        _states = new PodNetworkStateStore(options.StateDirectory);
    }

    /// <summary>
    /// CNI ADD for the pod. A retry after success returns the recorded result; a record left by an ADD that never
    /// finished (a crash) is torn down first.
    /// </summary>
    public async Task<PodNetworkStatus> SetUpAsync(PodNetworkRequest request, CancellationToken cancellationToken = default)
    {
        ValidateSandboxId(request.SandboxId);
        if (_states.Read(request.SandboxId) is { } existing)
        {
            if (existing.Result is not null)
                return PodNetworkStatus.From(CniResult.Parse(existing.Result.ToJsonString(), _states.PathOf(request.SandboxId)));
            await TearDownAsync(existing, cancellationToken);
        }

        var list = CniConfigList.LoadFromDirectory(_options.ConfDirectory);
        var runtimeConfig = PortMapping.RuntimeConfig(request.PortMappings);
        var invocation = InvocationFor(request, request.NetworkNamespacePath);
        _states.Write(new PodNetworkState(request, list, null));
        try
        {
            await _invoker.AddListAsync(Loopback, invocation.WithInterface(LoopbackInterface), runtimeConfig, cancellationToken);
            var result = await _invoker.AddListAsync(list, invocation, runtimeConfig, cancellationToken);
            _states.Write(new PodNetworkState(request, list, result.Json));
            return PodNetworkStatus.From(result);
        }
        catch (Exception failure)
        {
            // The spec: after a failed ADD, DEL the whole list so nothing half-made (an IP, a veth) stays behind.
            try
            {
                await TearDownAsync(new PodNetworkState(request, list, null), CancellationToken.None);
            }
            catch (Exception cleanup)
            {
                Log.CleanupAfterFailedAddFailed(_logger, request.SandboxId, cleanup);
            }

            throw CaissonException.Wrap($"set up network '{list.Name}' ({list.Source}) for sandbox {request.SandboxId}", failure);
        }
    }

    /// <summary>
    /// CNI DEL for the pod from its record; nothing recorded means nothing to do, so a repeat is harmless. A netns that
    /// is gone is passed as an empty CNI_NETNS, which the spec allows for DEL and the plugins tolerate (containerd does
    /// the same). Tear down before removing the netns, though: the bridge plugin (1.1.1) learns the pod's address for
    /// its masquerade rule from the netns, so without one it releases the lease but leaves that rule.
    /// </summary>
    public async Task TearDownAsync(string sandboxId, CancellationToken cancellationToken = default)
    {
        ValidateSandboxId(sandboxId);
        if (_states.Read(sandboxId) is { } state)
            await TearDownAsync(state, cancellationToken);
    }

    /// <summary>True when a set-up (finished or not) is recorded for the sandbox.</summary>
    public bool IsRecorded(string sandboxId) => _states.Read(sandboxId) is not null;

    private async Task TearDownAsync(PodNetworkState state, CancellationToken cancellationToken)
    {
        var request = state.Request;
        var netns = NetworkNamespace.Exists(request.NetworkNamespacePath) ? request.NetworkNamespacePath : "";
        var invocation = InvocationFor(request, netns);
        var runtimeConfig = PortMapping.RuntimeConfig(request.PortMappings);
        await _invoker.DeleteListAsync(state.ConfigList, invocation, runtimeConfig, state.Result, cancellationToken);
        await _invoker.DeleteListAsync(Loopback, invocation.WithInterface(LoopbackInterface), runtimeConfig, null, cancellationToken);
        _states.Delete(request.SandboxId);
    }

    private static CniInvocation InvocationFor(PodNetworkRequest request, string netnsPath) => new(
        request.SandboxId,
        netnsPath,
        PodInterface,
        CniInvocation.KubernetesArguments(request.PodNamespace, request.PodName, request.SandboxId));

    /// <summary>The id names a state file and host-local's allocation records: keep it a plain token.</summary>
    private static void ValidateSandboxId(string sandboxId)
    {
        if (!SandboxIdPattern().IsMatch(sandboxId))
            throw new InvalidArgumentException($"sandbox id '{sandboxId}' must be 1 to 128 letters, digits, '-' or '_'");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex SandboxIdPattern();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cleanup after a failed CNI ADD for sandbox {SandboxId} failed; its record is kept for a later teardown")]
        public static partial void CleanupAfterFailedAddFailed(ILogger logger, string sandboxId, Exception exception);
    }
}
