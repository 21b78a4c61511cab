using Caisson.Core.Errors;

namespace Caisson.Runtime.Cgroups;

/// <summary>
/// One cgroup's directories: one per controller on v1, a single one on v2. Built from a cgroupfs-driver
/// cgroupsPath as the OCI spec builder writes it ("/parent/id"), taken from the root of each hierarchy.
/// </summary>
internal sealed class CgroupPaths
{
    private readonly IReadOnlyDictionary<string, string> _controllers;

    private CgroupPaths(string cgroupsPath, CgroupVersion version, IReadOnlyDictionary<string, string> controllers, string? unified)
    {
        CgroupsPath = cgroupsPath;
        Version = version;
        _controllers = controllers;
        Unified = unified;
    }

    /// <summary>The path as given (relative to each hierarchy's root).</summary>
    public string CgroupsPath { get; }

    public CgroupVersion Version { get; }

    /// <summary>v2: the cgroup's directory. Null on v1.</summary>
    public string? Unified { get; }

    /// <summary>Every directory of this cgroup (per controller on v1, without repeats where controllers share a mount).</summary>
    public IEnumerable<string> Directories => Unified is null ? _controllers.Values.Distinct(StringComparer.Ordinal) : [Unified];

    public static CgroupPaths For(string cgroupsPath) => For(CgroupLayout.Host, cgroupsPath);

    public static CgroupPaths For(CgroupLayout layout, string cgroupsPath)
    {
        var relative = Relative(cgroupsPath);
        if (layout.Version == CgroupVersion.V2)
            return new CgroupPaths(cgroupsPath, CgroupVersion.V2, new Dictionary<string, string>(), Path.Join(layout.UnifiedRoot, relative));
        var controllers = layout.Controllers.ToDictionary(c => c.Key, c => Path.Join(c.Value, relative), StringComparer.Ordinal);
        return new CgroupPaths(cgroupsPath, CgroupVersion.V1, controllers, null);
    }

    /// <summary>The directory holding <paramref name="controller"/>'s files, or null when the host lacks that controller.</summary>
    public string? Directory(string controller) =>
        Unified ?? (_controllers.TryGetValue(controller, out var directory) ? directory : null);

    /// <summary>Throws NotFound when none of the cgroup's directories exist (the cgroup was removed or never made).</summary>
    public void EnsureExists()
    {
        if (!Directories.Any(System.IO.Directory.Exists))
            throw new NotFoundException($"cgroup \"{CgroupsPath}\" does not exist (looked in {string.Join(", ", Directories)})");
    }

    public override string ToString() => CgroupsPath;

    // A systemd "slice:prefix:name" path is not ours to resolve; ".." would climb out of the hierarchy.
    private static string Relative(string cgroupsPath)
    {
        if (cgroupsPath.Contains(':', StringComparison.Ordinal))
            throw new InvalidArgumentException($"cgroupsPath \"{cgroupsPath}\": systemd-style paths are not supported, only cgroupfs paths");
        var segments = cgroupsPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
            throw new InvalidArgumentException($"cgroupsPath \"{cgroupsPath}\" names the root cgroup");
        if (segments.Any(s => s is ".." or "."))
            throw new InvalidArgumentException($"cgroupsPath \"{cgroupsPath}\" contains \".\" or \"..\"");
        return string.Join('/', segments);
    }
}
