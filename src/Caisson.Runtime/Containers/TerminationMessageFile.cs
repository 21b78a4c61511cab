using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Oci;

namespace Caisson.Runtime.Containers;

/// <summary>
/// The file behind a container's termination message. The kubelet names the path in an annotation and normally
/// creates the file and mounts it itself; when nothing is mounted there, the file is made in the container's bundle,
/// world-writable as the kubelet makes it (the container may run as any user), and bound at the path. ContainerStatus
/// then lists it among the mounts, which is where the kubelet looks for the host file to read.
/// </summary>
internal static class TerminationMessageFile
{
    public const string PathAnnotation = "io.kubernetes.container.terminationMessagePath";

    /// <summary>Kubernetes' default terminationMessagePath.</summary>
    public const string DefaultPath = "/dev/termination-log";

    private const UnixFileMode WorldWritable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Creates the host file when the container needs one of ours; null when it names no path or the kubelet mounts one.</summary>
    public static TerminationMessage? Create(ContainerConfig config, string bundle)
    {
        if (!config.Annotations.TryGetValue(PathAnnotation, out var path))
            return null;
        var containerPath = Clean(path.Length == 0 ? DefaultPath : path);
        if (config.Mounts.Any(m => Clean(m.ContainerPath) == containerPath))
            return null;
        var hostPath = Path.Combine(bundle, "termination-log");
        Directory.CreateDirectory(bundle);
        new FileStream(hostPath, FileMode.Create, FileAccess.Write).Dispose();
        File.SetUnixFileMode(hostPath, WorldWritable);
        return new TerminationMessage(hostPath, containerPath);
    }

    private static string Clean(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!path.StartsWith('/') || parts.Contains("..") || path.Contains('\0', StringComparison.Ordinal))
            throw new InvalidArgumentException($"termination message path \"{path}\" is not a clean absolute path");
        return "/" + string.Join('/', parts.Where(p => p != "."));
    }
}
