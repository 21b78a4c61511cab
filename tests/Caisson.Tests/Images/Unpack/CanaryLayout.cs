using System.Text;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Tests.Images.Unpack;

/// <summary>
/// A root to unpack into, surrounded by canaries a malicious layer would like to touch: siblings of the root,
/// files in its parent, and a directory at an absolute path under /tmp that a tar can name directly.
/// <code>
/// /tmp/caisson-malicious-G/            parent-canary.txt, parent-dir/file
///     scratch/                         sibling-canary.txt, sibling-dir/inner.txt, sibling-link -> sibling-canary.txt
///         root/                        the target
/// /tmp/caisson-canary-G/               victim.txt, victim-dir/file
/// </code>
/// </summary>
internal sealed class CanaryLayout : IDisposable
{
    private const long CanaryTime = 1_000_000_000;
    private const uint CanaryOwner = 4321;

    public CanaryLayout()
    {
        var id = Guid.NewGuid().ToString("N");
        Base = Path.Combine("/tmp", $"caisson-malicious-{id}");
        Scratch = Path.Combine(Base, "scratch");
        Root = Path.Combine(Scratch, "root");
        Absolute = Path.Combine("/tmp", $"caisson-canary-{id}");
        EscapeName = $"caisson-escaped-{id}";

        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Absolute);
        Canary(Path.Combine(Base, "parent-canary.txt"), "parent");
        Canary(Path.Combine(Base, "parent-dir"), null);
        Canary(Path.Combine(Base, "parent-dir", "file"), "parent dir file");
        Canary(Path.Combine(Scratch, "sibling-canary.txt"), "sibling");
        Canary(Path.Combine(Scratch, "sibling-dir"), null);
        Canary(Path.Combine(Scratch, "sibling-dir", "inner.txt"), "inner");
        File.CreateSymbolicLink(Path.Combine(Scratch, "sibling-link"), "sibling-canary.txt");
        Canary(Path.Combine(Absolute, "victim.txt"), "victim");
        Canary(Path.Combine(Absolute, "victim-dir"), null);
        Canary(Path.Combine(Absolute, "victim-dir", "file"), "victim dir file");
        Freeze(Base);
        Freeze(Scratch);
        Freeze(Absolute);
    }

    /// <summary>The parent level (holds parent-canary.txt and scratch/).</summary>
    public string Base { get; }

    public string Scratch { get; }

    public string Root { get; }

    /// <summary>The canary directory at an absolute path, e.g. /tmp/caisson-canary-G; a tar names it verbatim.</summary>
    public string Absolute { get; }

    /// <summary>A name nothing has; if it shows up anywhere outside the root, something escaped.</summary>
    public string EscapeName { get; }

    public string InRoot(string relative) => Path.Combine(Root, relative.TrimStart('/'));

    /// <summary>Everything outside the root that a layer could reach, described entry by entry.</summary>
    public SortedDictionary<string, string> Outside()
    {
        var snapshot = FileInspector.Snapshot(Base, path => path == Root);
        foreach (var (path, description) in FileInspector.Snapshot(Absolute))
            snapshot["absolute:" + path] = description;
        foreach (var directory in new[] { "/", "/tmp", Base, Scratch, Absolute, Environment.CurrentDirectory })
        {
            var escaped = Path.Combine(directory, EscapeName);
            snapshot["escaped:" + escaped] = FileInspector.Exists(escaped) ? "EXISTS" : "absent";
        }

        return snapshot;
    }

    public void Dispose()
    {
        foreach (var directory in new[] { Base, Absolute })
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static unsafe void Canary(string path, string? content)
    {
        if (content is null)
            Directory.CreateDirectory(path);
        else
            File.WriteAllText(path, content);
        Assert.Equal(0, FChownAt(AT_FDCWD, path, CanaryOwner, CanaryOwner, 0));
        Assert.Equal(0, FChmodAt(AT_FDCWD, path, content is null ? 0x1E8u /* 0750 */ : 0x1A0u /* 0640 */, 0));
        var value = Encoding.ASCII.GetBytes("canary");
        fixed (byte* p = value)
        {
            Assert.Equal(0, LSetXattr(path, "user.canary", p, (nuint)value.Length, 0));
        }

        Freeze(path);
    }

    private static unsafe void Freeze(string path)
    {
        var times = stackalloc TimeSpec[2];
        times[0] = times[1] = new TimeSpec { Seconds = CanaryTime, Nanoseconds = 0 };
        Assert.Equal(0, UtimensAt(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW));
    }
}
