using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>Picks the seccomp filter a CRI request asks for: RuntimeDefault (ours), Localhost (a JSON file), or none.</summary>
internal static class SeccompSelection
{
    private const int MaxProfileBytes = 1 << 20;
    private const string LocalhostPrefix = "localhost/";

    /// <summary>Null means unconfined (no seccomp section).</summary>
    public static OciSeccomp? Select(LinuxContainerSecurityContext? security, bool privileged, IReadOnlyCollection<string> capabilities)
    {
        if (privileged)
            return null;
        if (security?.Seccomp is { } profile)
        {
            return profile.ProfileType switch
            {
                SecurityProfile.Types.ProfileType.RuntimeDefault => SeccompDefaultProfile.For(capabilities),
                SecurityProfile.Types.ProfileType.Unconfined => null,
                SecurityProfile.Types.ProfileType.Localhost => LoadLocalhost(profile.LocalhostRef, "seccomp.localhost_ref"),
                _ => throw new InvalidArgumentException($"seccomp.profile_type: unknown type {profile.ProfileType}"),
            };
        }

        // The deprecated string form, still sent by older kubelets; empty means unconfined, as in containerd.
#pragma warning disable CS0612
        var path = security?.SeccompProfilePath ?? "";
#pragma warning restore CS0612
        return path switch
        {
            "" or "unconfined" => null,
            "runtime/default" or "docker/default" => SeccompDefaultProfile.For(capabilities),
            _ when path.StartsWith(LocalhostPrefix, StringComparison.Ordinal) =>
                LoadLocalhost(path[LocalhostPrefix.Length..], "seccomp_profile_path"),
            _ => throw new InvalidArgumentException($"seccomp_profile_path: unsupported value \"{path}\""),
        };
    }

    public static OciSeccomp LoadLocalhost(string path, string field)
    {
        if (!Path.IsPathRooted(path))
            throw new InvalidArgumentException($"{field}: \"{path}\" is not an absolute path");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            if (stream.Length > MaxProfileBytes)
                throw new InvalidArgumentException($"{field}: {path} is larger than {MaxProfileBytes} bytes");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException($"{field}: cannot read {path}: {e.Message}", e);
        }

        OciSeccomp? profile;
        try
        {
            profile = JsonSerializer.Deserialize(bytes, OciSpecJsonContext.Default.OciSeccomp);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{field}: {path} is not a valid seccomp profile: {e.Message}", e);
        }

        if (profile is null || !profile.DefaultAction.StartsWith("SCMP_ACT_", StringComparison.Ordinal))
            throw new InvalidArgumentException($"{field}: {path} has no valid defaultAction");
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (rule.Names.Count == 0 || !rule.Action.StartsWith("SCMP_ACT_", StringComparison.Ordinal))
                throw new InvalidArgumentException($"{field}: {path} has a syscall rule without names or a valid action");
        }

        return profile;
    }
}
