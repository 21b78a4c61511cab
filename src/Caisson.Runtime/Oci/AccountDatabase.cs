using System.Text;
using Caisson.Core.Errors;
using Caisson.Linux.FileSystem;

namespace Caisson.Runtime.Oci;

/// <summary>One line of an image's /etc/passwd.</summary>
internal sealed record PasswdEntry(string Name, uint Uid, uint Gid);

/// <summary>One line of an image's /etc/group.</summary>
internal sealed record GroupEntry(string Name, uint Gid, IReadOnlyList<string> Members);

/// <summary>
/// The users and groups of an image, read from its rootfs through a <see cref="RootedFileSystem"/> so a symlink
/// can never lead outside it. A file that is missing, not regular (a symlink included) or too large counts as empty:
/// numeric ids still work, names do not resolve.
/// </summary>
internal sealed class AccountDatabase
{
    /// <summary>Real account files are a few KiB; anything bigger is not worth reading.</summary>
    internal const int MaxFileBytes = 1 << 20;

    private AccountDatabase(IReadOnlyList<PasswdEntry> users, IReadOnlyList<GroupEntry> groups)
    {
        Users = users;
        Groups = groups;
    }

    public IReadOnlyList<PasswdEntry> Users { get; }
    public IReadOnlyList<GroupEntry> Groups { get; }

    public static AccountDatabase Read(string rootfsPath)
    {
        using var root = RootedFileSystem.Open(rootfsPath);
        return new AccountDatabase(
            ParseLines(ReadSmallFile(root, "etc/passwd"), ParsePasswd),
            ParseLines(ReadSmallFile(root, "etc/group"), ParseGroup));
    }

    internal static AccountDatabase FromText(string passwd, string group) =>
        new(ParseLines(passwd, ParsePasswd), ParseLines(group, ParseGroup));

    public PasswdEntry? UserNamed(string name) => Users.FirstOrDefault(u => u.Name == name);
    public PasswdEntry? UserWithId(uint uid) => Users.FirstOrDefault(u => u.Uid == uid);
    public GroupEntry? GroupNamed(string name) => Groups.FirstOrDefault(g => g.Name == name);

    private static string ReadSmallFile(RootedFileSystem root, string path)
    {
        if (!root.TryGetStatus(path, out var status) || status.Kind != FileKind.Regular || status.Size > MaxFileBytes)
            return "";
        try
        {
            using var stream = root.OpenRead(path);
            // Sized by the stat, not by the limit: a buffer of the limit (1 MiB) for each of the two files went to
            // the large object heap and set off a full GC, 5-10 ms, on every second CreateContainer.
            var buffer = new byte[status.Size + 1];
            var total = 0;
            int read;
            while ((read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
                if (total < buffer.Length)
                    continue;
                // It has grown since the stat.
                if (buffer.Length > MaxFileBytes)
                    return "";
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, MaxFileBytes + 1));
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (CaissonException)
        {
            // Replaced by something we refuse to read (a symlink, a directory) after the stat.
            return "";
        }
    }

    private static List<T> ParseLines<T>(string text, Func<string[], T?> parse)
        where T : class
    {
        var entries = new List<T>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            var entry = parse(trimmed.Split(':'));
            if (entry is not null)
                entries.Add(entry);
        }

        return entries;
    }

    private static PasswdEntry? ParsePasswd(string[] fields) =>
        fields.Length >= 4 && uint.TryParse(fields[2], out var uid) && uint.TryParse(fields[3], out var gid)
            ? new PasswdEntry(fields[0], uid, gid)
            : null;

    private static GroupEntry? ParseGroup(string[] fields) =>
        fields.Length >= 3 && uint.TryParse(fields[2], out var gid)
            ? new GroupEntry(
                fields[0],
                gid,
                fields.Length > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])
            : null;
}
