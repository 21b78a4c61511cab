using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>
/// Reads docker's <c>-u USER[:GROUP]</c> into the CRI security context: numeric ids as they are, a user name looked
/// up in the image's /etc/passwd by the daemon. CRI has no field for a group name, so a group must be numeric.
/// </summary>
internal static class UserSpec
{
    public static void Apply(string value, LinuxContainerSecurityContext security)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? value : value[..colon];
        if (user.Length == 0)
            throw new InvalidArgumentException($"-u {value}: the user is missing (want USER[:GROUP])");
        if (TryParseId(user, out var uid))
            security.RunAsUser = new Int64Value { Value = uid };
        else
            security.RunAsUsername = user;
        if (colon < 0)
            return;
        var group = value[(colon + 1)..];
        if (!TryParseId(group, out var gid))
            throw new InvalidArgumentException($"-u {value}: the group must be a numeric id; a group name cannot be passed to the runtime");
        security.RunAsGroup = new Int64Value { Value = gid };
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= uint.MaxValue;
}
