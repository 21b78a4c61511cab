using System.Runtime.ExceptionServices;
using Caisson.Core.Errors;
using Caisson.Linux.Interop;

namespace Caisson.Runtime.Network;

/// <summary>
/// Namespaces of any kind (net, ipc, uts, pid) pinned by bind-mounting their /proc nsfs file onto a plain file,
/// so they outlive every process and thread in them. unshare() and setns() act on the calling thread only, so
/// each runs on a fresh thread that exits afterwards: a pool thread left in a pod's namespace would run
/// unrelated work there.
/// </summary>
internal static class NamespacePin
{
    private static readonly Lock PinDirectoryLock = new();

    /// <summary>A namespace to pin: its file name in the pin directory and its kind as /proc/*/ns names it.</summary>
    public readonly record struct Request(string Name, string Kind);

    /// <summary>
    /// Creates new namespaces of the kinds <paramref name="cloneFlags"/> names on a dedicated thread, runs
    /// <paramref name="insideNew"/> there (to configure them), and pins each of <paramref name="pins"/>;
    /// returns the pin paths in order. On failure nothing is left behind.
    /// </summary>
    public static IReadOnlyList<string> CreateNew(string pinDirectory, IReadOnlyList<Request> pins, int cloneFlags, Action? insideNew = null)
    {
        var paths = Reserve(pinDirectory, pins);
        try
        {
            RunOnDedicatedThread($"{string.Join('+', pins.Select(p => p.Kind))} namespace", () =>
            {
                Namespaces.Unshare(cloneFlags);
                insideNew?.Invoke();
                var thread = Namespaces.CurrentThreadId();
                for (var i = 0; i < pins.Count; i++)
                    Mounts.Mount($"/proc/self/task/{thread}/ns/{pins[i].Kind}", paths[i], null, Mounts.MS_BIND, null);
            });
        }
        catch
        {
            foreach (var path in paths)
                Remove(path);
            throw;
        }

        return paths;
    }

    /// <summary>Pins the namespace an existing nsfs file refers to (such as /proc/PID/ns/pid) at <c>pinDirectory/name</c>.</summary>
    public static string PinExisting(string pinDirectory, string name, string namespaceFile)
    {
        var pin = Reserve(pinDirectory, [new Request(name, Path.GetFileName(namespaceFile))])[0];
        try
        {
            Mounts.Mount(namespaceFile, pin, null, Mounts.MS_BIND, null);
        }
        catch
        {
            File.Delete(pin);
            throw;
        }

        return pin;
    }

    /// <summary>Unpins and deletes <paramref name="pinPath"/>; a pin already gone is not an error.</summary>
    public static void Remove(string pinPath)
    {
        // Detach: a plugin or an entered thread may still hold the namespace; it is freed when the last user goes.
        Mounts.Unmount(pinPath, detach: true);
        if (File.Exists(pinPath))
            File.Delete(pinPath);
    }

    /// <summary>True when <paramref name="pinPath"/> is a pinned namespace (not merely a leftover file).</summary>
    public static bool Exists(string pinPath) =>
        File.Exists(pinPath) && MountTable.IsMountPoint(pinPath);

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace pinned at <paramref name="pinPath"/>.</summary>
    public static T RunInside<T>(string pinPath, int namespaceType, Func<T> action)
    {
        T result = default!;
        RunOnDedicatedThread("entering a namespace", () =>
        {
            Namespaces.Enter(pinPath, namespaceType);
            result = action();
        });
        return result;
    }

    /// <summary>
    /// Undoes <see cref="PreparePinDirectory"/>: unmounts the directory's self bind mount (pins must be removed first).
    /// </summary>
    public static void ReleasePinDirectory(string pinDirectory)
    {
        lock (PinDirectoryLock)
            Mounts.Unmount(Path.GetFullPath(pinDirectory), detach: true);
    }

    /// <summary>Creates the empty files the bind mounts need as targets; an existing one means the name is taken.</summary>
    private static List<string> Reserve(string pinDirectory, IReadOnlyList<Request> pins)
    {
        foreach (var pin in pins)
        {
            if (pin.Name.Length == 0 || pin.Name.Contains('/', StringComparison.Ordinal) || pin.Name is "." or "..")
                throw new InvalidArgumentException($"{pin.Kind} namespace name '{pin.Name}' is not a plain file name");
        }

        PreparePinDirectory(pinDirectory);
        var paths = new List<string>();
        try
        {
            foreach (var pin in pins)
            {
                var path = Path.Combine(pinDirectory, pin.Name);
                try
                {
                    new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
                }
                catch (IOException e) when (File.Exists(path))
                {
                    throw new AlreadyExistsException($"{pin.Kind} namespace pin {path} already exists", e);
                }

                paths.Add(path);
            }
        }
        catch
        {
            foreach (var path in paths)
                File.Delete(path);
            throw;
        }

        return paths;
    }

    /// <summary>
    /// Makes the pin directory a mount point of its own with shared propagation, as iproute2 does for /run/netns:
    /// a pin then propagates to mount namespaces copied from ours (runc's, a mount-namespaced daemon's), and so does
    /// its unmount, so a copy elsewhere does not keep a dead pod's namespace alive.
    /// </summary>
    private static void PreparePinDirectory(string pinDirectory)
    {
        var directory = Path.GetFullPath(pinDirectory);
        lock (PinDirectoryLock)
        {
            Directory.CreateDirectory(directory);
            if (MountTable.IsMountPoint(directory))
                return;
            Mounts.Mount(directory, directory, null, Mounts.MS_BIND | Mounts.MS_REC, null);
            Mounts.Mount(null, directory, null, Mounts.MS_SHARED | Mounts.MS_REC, null);
        }
    }

    private static void RunOnDedicatedThread(string purpose, Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "caisson-ns",
        };
        thread.Start();
        thread.Join();
        if (failure is CaissonException)
            ExceptionDispatchInfo.Throw(failure);
        if (failure is not null)
            throw CaissonException.Wrap(purpose, failure);
    }
}
