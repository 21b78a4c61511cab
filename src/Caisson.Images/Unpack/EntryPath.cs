using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Images.Unpack;

/// <summary>
/// Turns a tar member name into a clean path relative to the layer root: absolute names and ".." are read
/// as if the root were "/" (so "/etc/x" and "../../etc/x" both mean "etc/x"), "." and empty components go.
/// "" is the root itself. Names the kernel could not take are refused here, with the name in the message.
/// </summary>
internal static class EntryPath
{
    private const int PathMax = 4096;
    private const int NameMax = 255;

    /// <summary>Cleans <paramref name="name"/>; <paramref name="what"/> names it in errors ("name", "hard link target").</summary>
    public static string Clean(string name, string what = "name")
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new InvalidArgumentException($"{what} contains a NUL byte");

        var span = name.AsSpan();
        while (true)
        {
            if (span.StartsWith('/'))
                span = span[1..];
            else if (span.StartsWith("./"))
                span = span[2..];
            else
                break;
        }

        span = span.TrimEnd('/');
        if (span is ".")
            span = [];
        var clean = IsClean(span)
            ? (span.Length == name.Length ? name : span.ToString())
            : Normalize(span);
        Validate(clean, what);
        return clean;
    }

    /// <summary>The directory part and the last component of a clean path ("" for a top-level name).</summary>
    public static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
    }

    public static string Join(string directory, string name) => directory.Length == 0 ? name : $"{directory}/{name}";

    private static bool IsClean(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
            return true;
        foreach (var range in path.Split('/'))
        {
            var component = path[range];
            if (component.IsEmpty || component is "." or "..")
                return false;
        }

        return true;
    }

    private static string Normalize(ReadOnlySpan<char> path)
    {
        var components = new List<string>();
        foreach (var range in path.Split('/'))
        {
            var component = path[range];
            if (component.IsEmpty || component is ".")
                continue;
            if (component is "..")
            {
                if (components.Count > 0)
                    components.RemoveAt(components.Count - 1);
                continue;
            }

            components.Add(component.ToString());
        }

        return string.Join('/', components);
    }

    private static void Validate(string clean, string what)
    {
        if (clean.Length >= PathMax / 3 && Encoding.UTF8.GetByteCount(clean) >= PathMax)
            throw new InvalidArgumentException($"{what} is longer than PATH_MAX ({PathMax} bytes)");
        foreach (var range in clean.AsSpan().Split('/'))
        {
            var component = clean.AsSpan()[range];
            if (component.Length > NameMax / 3 && Encoding.UTF8.GetByteCount(component) > NameMax)
                throw new InvalidArgumentException($"{what} has a component longer than NAME_MAX ({NameMax} bytes)");
        }
    }

    /// <summary>A name fit for an error message: NULs shown as \0, very long names cut in the middle.</summary>
    public static string Display(string name)
    {
        name = name.Replace("\0", "\\0", StringComparison.Ordinal);
        return name.Length <= 200 ? name : $"{name[..100]}...{name[^60..]} ({name.Length} characters)";
    }
}
