using Caisson.Core.Errors;
using Caisson.Runtime.Network;

namespace Caisson.Runtime.Sandboxes;

/// <summary>A pod's network traffic, for CRI PodSandboxStats.</summary>
public sealed partial class SandboxManager
{
    /// <summary>
    /// The counters of the pod's interfaces, read inside its pinned network namespace. Null for a pod on the host's
    /// network (its traffic is the node's) and for one whose namespace is gone or cannot be entered (being torn down).
    /// </summary>
    internal NetworkSnapshot? NetworkCounters(SandboxRecord sandbox)
    {
        if (sandbox.NetworkNamespacePath is not { } netns || sandbox.State != SandboxState.Ready)
            return null;
        try
        {
            return new NetworkSnapshot(_time.GetUtcNow(), NetworkDeviceCounters.ReadInside(netns));
        }
        catch (CaissonException)
        {
            return null;
        }
    }
}

/// <summary>Interface counters of one network namespace at one moment.</summary>
internal sealed record NetworkSnapshot(DateTimeOffset Timestamp, IReadOnlyList<NetworkDeviceCounters> Devices);
