using Caisson.Runtime.Containers;
using Caisson.Runtime.Sandboxes;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>
    /// The containers a list RPC considers: all but those still being created, narrowed to ids and sandbox ids that
    /// start with the filter's (crictl passes truncated ids; an empty filter field matches every one).
    /// </summary>
    private IEnumerable<ContainerRecord> ListedContainers(string? idPrefix, string? sandboxIdPrefix) =>
        _containers.List().Where(c => c.State != Caisson.Runtime.Containers.ContainerState.Creating
            && HasPrefix(c.Id, idPrefix) && HasPrefix(c.SandboxId, sandboxIdPrefix));

    /// <summary>The sandboxes a list RPC considers: all but those still being created, narrowed by id prefix.</summary>
    private IEnumerable<SandboxRecord> ListedSandboxes(string? idPrefix) =>
        _sandboxes.List().Where(s => s.State != SandboxState.Creating && HasPrefix(s.Id, idPrefix));

    private static bool HasPrefix(string id, string? prefix) =>
        string.IsNullOrEmpty(prefix) || id.StartsWith(prefix, StringComparison.Ordinal);
}
