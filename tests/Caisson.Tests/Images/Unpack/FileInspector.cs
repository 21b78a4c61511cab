using System.Security.Cryptography;
using System.Text;
using Caisson.Linux.FileSystem;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Tests.Images.Unpack;

/// <summary>lstat, readlink and xattrs of absolute paths, straight from the kernel, for assertions.</summary>
internal static unsafe class FileInspector
{
    public static FileStatus Lstat(string path)
    {
        Assert.True(TryLstat(path, out var status), $"{path} should exist");
        return status;
    }

    public static bool TryLstat(string path, out FileStatus status)
    {
        status = default;
        if (StatxAt(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var statx) != 0)
            return false;
        status = FileStatus.From(statx);
        return true;
    }

    public static void Chmod(string path, string octalMode) =>
        Assert.Equal(0, FChmodAt(AT_FDCWD, path, Convert.ToUInt32(octalMode, 8), 0));

    public static bool Exists(string path) => TryLstat(path, out _);

    public static byte[]? GetXattr(string path, string name)
    {
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var length = (int)LGetXattr(path, name, p, (nuint)buffer.Length);
            return length < 0 ? null : buffer[..length];
        }
    }

    public static List<string> ListXattrs(string path)
    {
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var length = (int)LListXattr(path, p, (nuint)buffer.Length);
            if (length <= 0)
                return [];
            return Encoding.UTF8.GetString(buffer, 0, length - 1).Split('\0').Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Everything that identifies an entry: type, mode, owner, mtime, content or target, device, xattrs.</summary>
    public static string Describe(string path)
    {
        var status = Lstat(path);
        var text = new StringBuilder()
            .Append($"{status.Kind} {Convert.ToString(status.Permissions, 8)} {status.Uid}:{status.Gid} ")
            .Append($"mtime={status.ModificationTime.Seconds}.{status.ModificationTime.Nanoseconds} size={status.Size}");
        switch (status.Kind)
        {
            case FileKind.Regular:
                text.Append(" sha256=").Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
                break;
            case FileKind.SymbolicLink:
                text.Append(" -> ").Append(new FileInfo(path).LinkTarget);
                break;
            case FileKind.CharacterDevice or FileKind.BlockDevice:
                text.Append($" dev={status.DeviceMajor}:{status.DeviceMinor}");
                break;
            default:
                break;
        }

        foreach (var name in ListXattrs(path))
            text.Append($" xattr {name}={Convert.ToHexStringLower(GetXattr(path, name) ?? [])}");
        return text.ToString();
    }

    /// <summary>Every entry under <paramref name="directory"/> (itself included as ""), described; <paramref name="skip"/> prunes.</summary>
    public static SortedDictionary<string, string> Snapshot(string directory, Func<string, bool>? skip = null)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal) { [""] = Describe(directory) };
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos("*", new EnumerationOptions
                     {
                         AttributesToSkip = 0, RecurseSubdirectories = false, IgnoreInaccessible = false,
                     }))
            {
                if (skip?.Invoke(entry.FullName) == true)
                    continue;
                result[Path.GetRelativePath(directory, entry.FullName)] = Describe(entry.FullName);
                if (Lstat(entry.FullName).Kind == FileKind.Directory)
                    pending.Push(entry.FullName);
            }
        }

        return result;
    }
}
