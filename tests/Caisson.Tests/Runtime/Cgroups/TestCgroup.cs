using Caisson.Runtime.Cgroups;

namespace Caisson.Tests.Runtime.Cgroups;

/// <summary>
/// A real cgroup made for one test at the root of each hierarchy the test needs; disposing moves nothing,
/// it expects the test's processes to be gone, then removes the directories.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    // cpuset is made but never joined: a fresh v1 cpuset has no cpus, and the kernel refuses tasks there.
    private static readonly string[] JoinedControllers = ["memory", "cpu", "cpuacct", "pids"];
    private readonly List<string> created = [];

    public TestCgroup(params string[] controllers)
    {
        Layout = CgroupLayout.Detect();
        Paths = CgroupPaths.For(Layout, $"/caisson-test-{Guid.NewGuid():N}");
        var directories = Layout.Version == CgroupVersion.V2
            ? [Paths.Unified!]
            : controllers.Select(c => Paths.Directory(c) ?? throw new InvalidOperationException($"controller {c} is not mounted"));
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            Directory.CreateDirectory(directory);
            created.Add(directory);
        }
    }

    public CgroupLayout Layout { get; }

    public CgroupPaths Paths { get; }

    /// <summary>Moves <paramref name="pid"/> into the cgroup (every joined controller on v1).</summary>
    public void Join(int pid)
    {
        var directories = Layout.Version == CgroupVersion.V2
            ? [Paths.Unified!]
            : JoinedControllers.Select(Paths.Directory).OfType<string>().Where(created.Contains);
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
            File.WriteAllText(Path.Combine(directory, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string ReadFile(string controller, string file) =>
        File.ReadAllText(Path.Combine(Paths.Directory(controller)!, file)).Trim();

    public void Remove()
    {
        foreach (var directory in created.Where(Directory.Exists))
            RemoveWhenEmpty(directory);
    }

    public void Dispose() => Remove();

    // rmdir fails with EBUSY until the killed processes have left; they leave within moments of being reaped.
    private static void RemoveWhenEmpty(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
