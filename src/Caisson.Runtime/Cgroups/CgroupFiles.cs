using System.Globalization;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Cgroups;

/// <summary>Reading and writing cgroup interface files; a file the kernel does not provide reads as null.</summary>
internal static class CgroupFiles
{
    /// <summary>The file's text, or null when it (or its cgroup) does not exist.</summary>
    public static string? TryRead(string? directory, string file)
    {
        if (directory is null)
            return null;
        var path = Path.Join(directory, file);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException e)
        {
            throw CaissonException.Wrap($"cgroup file {path}", e);
        }
    }

    /// <summary>A single-number file such as memory.current; null when absent or "max".</summary>
    public static ulong? TryReadNumber(string? directory, string file) =>
        TryRead(directory, file) is { } text && ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>A flat-keyed file ("key value" lines: memory.stat, cpu.stat, memory.events, memory.oom_control).</summary>
    public static IReadOnlyDictionary<string, ulong> TryReadKeyed(string? directory, string file) =>
        TryRead(directory, file) is { } text ? ParseKeyed(text) : new Dictionary<string, ulong>();

    /// <summary>Parses "key value" lines; lines whose value is not an unsigned number are skipped.</summary>
    public static IReadOnlyDictionary<string, ulong> ParseKeyed(string text)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                values[parts[0]] = value;
        }

        return values;
    }

    /// <summary>Writes one value to an existing interface file (never creates one).</summary>
    public static void Write(string? directory, string file, string value)
    {
        if (directory is null)
            throw new FailedPreconditionException($"cannot set {file}: its cgroup controller is not mounted on this host");
        var path = Path.Join(directory, file);
        try
        {
            using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"cgroup file {path} does not exist", e);
        }
        catch (IOException e)
        {
            // The kernel answers EINVAL/EBUSY for values it refuses (limit below usage, cpus outside the parent's set).
            throw new InvalidArgumentException($"cgroup file {path}: writing \"{value}\" failed: {e.Message}", e);
        }
    }
}
