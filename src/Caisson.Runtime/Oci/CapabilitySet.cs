using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>Capability names and the CRI add/drop rules ("ALL", names with or without "CAP_").</summary>
internal static class CapabilitySet
{
    /// <summary>containerd's default set for unprivileged containers.</summary>
    public static readonly IReadOnlyList<string> ContainerdDefault =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability by number (index = capability number, as in linux/capability.h).</summary>
    private static readonly string[] Known =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>
    /// The capabilities we, the running kernel (/proc/sys/kernel/cap_last_cap) and our own bounding set all have: a
    /// privileged container gets what the daemon can give, as with containerd; asking runc for a capability outside
    /// the daemon's bounding set fails the whole container ("unable to apply caps").
    /// </summary>
    public static IReadOnlyList<string> All { get; } = Known.Take(LastKernelCapability() + 1)
        .Where((_, number) => (OwnBoundingSet() & (1UL << number)) != 0).ToList();

    /// <summary>Applies the CRI request to <paramref name="defaults"/>: ALL first, then the named adds and drops.</summary>
    public static List<string> Apply(IReadOnlyList<string> defaults, Capability? request)
    {
        var add = Normalize(request?.AddCapabilities ?? [], "capabilities.add_capabilities");
        var drop = Normalize(request?.DropCapabilities ?? [], "capabilities.drop_capabilities");
        var result = new List<string>(add.Contains("ALL") ? All : defaults);
        if (drop.Contains("ALL"))
            result.Clear();
        foreach (var name in add.Where(n => n != "ALL" && !result.Contains(n)))
            result.Add(name);
        result.RemoveAll(drop.Contains);
        return result;
    }

    public static List<string> Normalize(IEnumerable<string> names, string field)
    {
        var result = new List<string>();
        foreach (var raw in names)
        {
            var upper = raw.Trim().ToUpperInvariant();
            var name = upper == "ALL" || upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
            if (name != "ALL" && !Known.Contains(name))
                throw new InvalidArgumentException($"{field}: unknown capability \"{raw}\"");
            if (!result.Contains(name))
                result.Add(name);
        }

        return result;
    }

    /// <summary>CapBnd of /proc/self/status; all bits when it cannot be read.</summary>
    internal static ulong OwnBoundingSet()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
            return line is null ? ulong.MaxValue : ulong.Parse(line["CapBnd:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return ulong.MaxValue;
        }
    }

    private static int LastKernelCapability()
    {
        try
        {
            return Math.Min(int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture), Known.Length - 1);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return Known.Length - 1;
        }
    }
}
