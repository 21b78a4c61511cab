using System.Text;
using Caisson.Core.Digests;

namespace Caisson.Testing.Images;

/// <summary>What kind of file an expected path is.</summary>
public enum ExpectedEntryKind
{
    Directory,
    File,
    Symlink,
}

/// <summary>One path that must exist in an unpacked image, and what it must be.</summary>
/// <param name="Path">From the root of the image, with a leading "/".</param>
public sealed record ExpectedEntry(string Path, ExpectedEntryKind Kind)
{
    /// <summary>Permission bits (with setuid/setgid/sticky); null for symlinks, whose mode means nothing.</summary>
    public UnixFileMode? Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>A file's content as UTF-8 text.</summary>
    public string? Content { get; init; }

    /// <summary>A symlink's target, verbatim.</summary>
    public string? LinkTarget { get; init; }

    public Digest? ContentDigest => Content is null ? null : Digest.Sha256Of(Encoding.UTF8.GetBytes(Content));

    public static ExpectedEntry Directory(string path, int octalMode = 0755, int uid = 0, int gid = 0) =>
        new(path, ExpectedEntryKind.Directory) { Mode = UnixMode.Octal(octalMode), Uid = uid, Gid = gid };

    public static ExpectedEntry File(string path, string content, int octalMode = 0644, int uid = 0, int gid = 0) =>
        new(path, ExpectedEntryKind.File) { Content = content, Mode = UnixMode.Octal(octalMode), Uid = uid, Gid = gid };

    public static ExpectedEntry Symlink(string path, string target) =>
        new(path, ExpectedEntryKind.Symlink) { LinkTarget = target };
}
