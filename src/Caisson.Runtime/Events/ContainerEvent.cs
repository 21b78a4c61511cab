using Caisson.Runtime.Containers;
using Caisson.Runtime.Sandboxes;

namespace Caisson.Runtime.Events;

/// <summary>
/// One lifecycle change, with the pod as it stood at that moment: the kubelet's evented PLEG puts this snapshot in
/// its pod cache as the pod's status at <see cref="CreatedAtNanoseconds"/>, so it is taken when the change happens,
/// not when a subscriber reads it.
/// </summary>
/// <param name="ContainerId">The container's id, or the sandbox's for a sandbox's own event.</param>
/// <param name="Sandbox">The pod's sandbox, or null when it is already gone.</param>
/// <param name="Containers">Every container of the pod at that moment (a deleted container is no longer among them).</param>
public sealed record ContainerEvent(
    string ContainerId,
    ContainerEventKind Kind,
    long CreatedAtNanoseconds,
    SandboxRecord? Sandbox,
    IReadOnlyList<ContainerRecord> Containers);
