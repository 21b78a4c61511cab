using Caisson.Api.Cri;

namespace Caisson.Runtime.Oci;

/// <summary>The /proc and /sys paths hidden or made read-only in unprivileged containers (containerd's lists).</summary>
internal static class DefaultPaths
{
    public static readonly IReadOnlyList<string> Masked =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    public static readonly IReadOnlyList<string> ReadOnly =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    /// <summary>Privileged: none. An explicit CRI list replaces the default (protobuf cannot tell empty from unset).</summary>
    public static (IReadOnlyList<string>? Masked, IReadOnlyList<string>? ReadOnly) For(LinuxContainerSecurityContext? security, bool privileged)
    {
        if (privileged)
            return (null, null);
        IReadOnlyList<string> masked = security?.MaskedPaths.Count > 0 ? [.. security.MaskedPaths] : Masked;
        IReadOnlyList<string> readOnly = security?.ReadonlyPaths.Count > 0 ? [.. security.ReadonlyPaths] : ReadOnly;
        return (masked, readOnly);
    }
}
