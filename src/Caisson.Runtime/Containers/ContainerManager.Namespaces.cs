using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Oci;
using Caisson.Runtime.Sandboxes;
using Caisson.Runtime.Shim;

namespace Caisson.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// The namespaces a new container of <paramref name="sandbox"/> starts from (its own options are applied by the
    /// spec builder); a PID TARGET is resolved to the target container's PID namespace, as containerd does: the
    /// target must be a running container of the same pod.
    /// </summary>
    private async Task<SandboxNamespaces> NamespacesForAsync(SandboxRecord sandbox, PodSandboxConfig sandboxConfig, ContainerConfig config)
    {
        var namespaces = PodNamespaces.ForContainer(sandbox, sandboxConfig.Linux?.SecurityContext?.NamespaceOptions);
        if (config.Linux?.SecurityContext?.NamespaceOptions is not { Pid: NamespaceMode.Target } options)
            return namespaces;
        const string field = "linux.security_context.namespace_options";
        if (string.IsNullOrEmpty(options.TargetId))
            throw new InvalidArgumentException($"{field}.pid is TARGET but target_id is empty");
        var target = _store.Find(options.TargetId)
            ?? throw new NotFoundException($"{field}.target_id: container \"{options.TargetId}\" not found");
        if (target.SandboxId != sandbox.Id)
            throw new InvalidArgumentException($"{field}.target_id: container {target.Id} belongs to pod sandbox {target.SandboxId}, not {sandbox.Id}");
        ShimStatus status;
        try
        {
            status = await Client(target).StatusAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CaissonException e) when (e.Kind == ErrorKind.Unavailable)
        {
            throw new FailedPreconditionException($"{field}.target_id: container {target.Id} is not running", e);
        }

        if (status.State != ShimContainerState.Running || status.Pid <= 0)
            throw new FailedPreconditionException($"{field}.target_id: container {target.Id} is not running");
        // Joined by the target's pid, as containerd does; the pid is read just before runc uses it.
        return namespaces with { PidTarget = NamespaceSource.Join($"/proc/{status.Pid}/ns/pid") };
    }
}
