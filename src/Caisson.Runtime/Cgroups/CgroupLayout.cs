using System.Globalization;
using System.Text.RegularExpressions;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Cgroups;

/// <summary>
/// Where the host's cgroup file systems are mounted: per controller for v1, one unified root for v2.
/// Read from /proc/self/mountinfo, so it follows whatever the host (or our container) mounted.
/// </summary>
internal sealed partial class CgroupLayout
{
    private const string MountInfoPath = "/proc/self/mountinfo";

    // The v1 controllers the kernel knows; other super options (rw, xattr, name=systemd, ...) are not controllers.
    private static readonly HashSet<string> KnownControllers = new(StringComparer.Ordinal)
    {
        "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
        "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc",
    };

    private static readonly Lazy<CgroupLayout> HostLayout = new(Detect);

    private CgroupLayout(CgroupVersion version, IReadOnlyDictionary<string, string> controllers, string? unifiedRoot)
    {
        Version = version;
        Controllers = controllers;
        UnifiedRoot = unifiedRoot;
    }

    public CgroupVersion Version { get; }

    /// <summary>v1: controller name to its mount point (cpu and cpuacct may share one). Empty for v2.</summary>
    public IReadOnlyDictionary<string, string> Controllers { get; }

    /// <summary>v2: the cgroup2 mount point. Null for v1.</summary>
    public string? UnifiedRoot { get; }

    /// <summary>The host's layout, detected once per process.</summary>
    public static CgroupLayout Host => HostLayout.Value;

    public static CgroupLayout V1(IReadOnlyDictionary<string, string> controllers) =>
        new(CgroupVersion.V1, controllers, null);

    public static CgroupLayout V2(string unifiedRoot) =>
        new(CgroupVersion.V2, new Dictionary<string, string>(), unifiedRoot);

    public static CgroupLayout Detect() => Parse(File.ReadLines(MountInfoPath));

    /// <summary>Any v1 controller mount makes the host v1 (hybrid included); otherwise a cgroup2 mount makes it v2.</summary>
    public static CgroupLayout Parse(IEnumerable<string> mountInfoLines)
    {
        var controllers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unified = null;
        foreach (var line in mountInfoLines)
        {
            if (ParseLine(line) is not { } mount)
                continue;
            if (mount.FileSystem == "cgroup2")
            {
                // Prefer the canonical place when several cgroup2 mounts exist (hybrid hosts mount one at .../unified).
                if (unified is null || mount.MountPoint == "/sys/fs/cgroup")
                    unified = mount.MountPoint;
            }
            else if (mount.FileSystem == "cgroup")
            {
                foreach (var option in mount.SuperOptions.Split(','))
                {
                    if (KnownControllers.Contains(option))
                        controllers.TryAdd(option, mount.MountPoint);
                }
            }
        }

        if (controllers.Count > 0)
            return V1(controllers);
        if (unified is not null)
            return V2(unified);
        throw new FailedPreconditionException($"{MountInfoPath}: no cgroup or cgroup2 file system is mounted");
    }

    /// <summary>One mountinfo line: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions".</summary>
    internal static CgroupMountLine? ParseLine(string line)
    {
        var separator = line.IndexOf(" - ", StringComparison.Ordinal);
        if (separator < 0)
            return null;
        var before = line[..separator].Split(' ');
        var after = line[(separator + 3)..].Split(' ');
        if (before.Length < 6 || after.Length < 3)
            return null;
        return new CgroupMountLine(Decode(before[4]), after[0], after[2]);
    }

    // mountinfo writes space, tab, newline and backslash as \ooo.
    private static string Decode(string field) =>
        OctalEscape().Replace(field, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();
}

/// <summary>The parts of a mountinfo line that matter for cgroups.</summary>
internal sealed record CgroupMountLine(string MountPoint, string FileSystem, string SuperOptions);
