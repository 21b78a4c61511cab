using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>Only namespaced sysctls may be set, and only when the container has the namespace of its own.</summary>
internal static class SysctlValidator
{
    private static readonly string[] IpcNames =
    [
        "kernel.shmmax", "kernel.shmall", "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msgmax", "kernel.msgmnb",
        "kernel.msgmni", "kernel.sem",
    ];

    public static Dictionary<string, string>? Validate(IReadOnlyDictionary<string, string> sysctls, bool ownNetwork, bool ownIpc)
    {
        if (sysctls.Count == 0)
            return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawName, value) in sysctls)
        {
            // Kubernetes allows "/" as the separator too.
            var name = rawName.Replace('/', '.');
            var isIpc = IpcNames.Contains(name) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal);
            var isNet = name.StartsWith("net.", StringComparison.Ordinal);
            if (!isIpc && !isNet)
                throw new InvalidArgumentException($"sysctls: \"{rawName}\" is not a namespaced sysctl");
            if (isIpc && !ownIpc)
                throw new InvalidArgumentException($"sysctls: \"{rawName}\" needs a private IPC namespace, the pod uses the host's");
            if (isNet && !ownNetwork)
                throw new InvalidArgumentException($"sysctls: \"{rawName}\" needs a private network namespace, the pod uses the host's");
            result[name] = value;
        }

        return result;
    }
}
