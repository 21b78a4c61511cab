using System.Globalization;

namespace Caisson.Cri.Images;

/// <summary>The image config's User ("1000", "1000:1000", "app", "app:staff") as CRI's uid or username.</summary>
internal static class ImageUser
{
    public static (long? Uid, string? Username) Parse(string? user)
    {
        if (string.IsNullOrEmpty(user))
            return (null, null);
        var name = user.Split(':', 2)[0];
        return long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? (uid, null) : (null, name);
    }
}
