using System.Text;

namespace Caisson.Runtime.Network;

/// <summary>Reads /proc/self/mountinfo: which paths are mount points right now.</summary>
internal static class MountTable
{
    private const string MountInfoPath = "/proc/self/mountinfo";

    /// <summary>The mount points, decoded (mountinfo escapes space, tab, newline and backslash as octal).</summary>
    public static IReadOnlyList<string> MountPoints()
    {
        var points = new List<string>();
        foreach (var line in File.ReadLines(MountInfoPath))
        {
            // Fields: mount id, parent id, major:minor, root, mount point, ...
            var fields = line.Split(' ', 6);
            if (fields.Length >= 5)
                points.Add(Unescape(fields[4]));
        }

        return points;
    }

    public static bool IsMountPoint(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return MountPoints().Contains(full, StringComparer.Ordinal);
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;
        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
